-- Search that ignores Vietnamese diacritics and case ("nguyen van" finds "Nguyễn Văn").
--
-- A plain immutable function over translate(), not the unaccent extension: no extension to install or trust,
-- the same answer on every server, and usable in generated columns. Its input is NFC (every name is stored
-- NFC), so each accented letter is one character here.

CREATE FUNCTION cds.search_key(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    SET search_path = pg_catalog
AS $$
    SELECT lower(translate($1,
        'àáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬèéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆìíỉĩịÌÍỈĨỊòóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰỳýỷỹỵỲÝỶỸỴđĐ',
        'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeeeeeeeiiiiiiiiiioooooooooooooooooooooooooooooooooouuuuuuuuuuuuuuuuuuuuuuyyyyyyyyyydd'))
$$;
REVOKE ALL ON FUNCTION cds.search_key(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cds.search_key(text) TO cds_app;

ALTER TABLE cds.teams ADD COLUMN search_name text GENERATED ALWAYS AS (cds.search_key(name)) STORED;
ALTER TABLE cds.members ADD COLUMN search_name text GENERATED ALWAYS AS (cds.search_key(full_name)) STORED;
CREATE INDEX teams_unit_idx ON cds.teams (tenant_id, commune_code, hamlet_code);
