"""The statements one members page sent, from PostgreSQL's statement log, as a pgbench script.

Usage: statements-of-page.py LOG OFFSET  (the log as log_min_duration_statement = 0 writes it; OFFSET in bytes)

Prints the transaction of the last `GET /v1/members` page logged after OFFSET, from its BEGIN to its COMMIT, each
statement with the values it was bound with written in place of its parameters, in the order sent.
"""
import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()[int(sys.argv[2]):]
head = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\w+):  (.*)$")
entries = []  # [pid, level, text]
for line in text.split("\n"):
    match = head.match(line)
    if match:
        entries.append([match.group(1), match.group(2), match.group(3)])
    elif entries:
        entries[-1][2] += "\n" + line
statements = []  # (pid, sql, parameters)
last = {}  # pid -> the statement its last LOG line executed, or None (a parse or bind line, whose DETAIL is not ours)
for pid, level, body in entries:
    if level == "LOG":
        match = re.match(r"duration: [\d.]+ ms  (?:statement|execute [^:]*): (.*)", body, re.S)
        last[pid] = None
        if match:
            statements.append([pid, match.group(1).strip(), {}])
            last[pid] = statements[-1]
    elif level == "DETAIL" and body.startswith("parameters: ") and last.get(pid):
        for number, value in re.findall(r"\$(\d+) = (NULL|'(?:[^']|'')*')", body):
            last[pid][2][int(number)] = value
page = max(i for i, s in enumerate(statements) if "AS scope (tenant_id)" in s[1] and "cds.members m" in s[1])
pid = statements[page][0]
own = [i for i, s in enumerate(statements) if s[0] == pid]
begin = max(i for i in own if i < page and statements[i][1].upper().startswith("BEGIN"))
end = min(i for i in own if i > page and statements[i][1].upper() in ("COMMIT", "ROLLBACK"))

def compound(sql):
    """Statements sent in one message (`BEGIN; SELECT set_config(...)`) stay one: pgbench's `\\;` joins them."""
    parts, current, quoted = [], "", False
    for character in sql:
        if character == "'":
            quoted = not quoted
        if character == ";" and not quoted:
            parts.append(current.strip())
            current = ""
        else:
            current += character
    parts.append(current.strip())
    return " \\; ".join(part for part in parts if part)


for i in own:
    if begin <= i <= end:
        _, sql, parameters = statements[i]
        for number in sorted(parameters, reverse=True):
            sql = re.sub(r"\$%d(?!\d)" % number, lambda _: parameters[number], sql)
        print(compound(sql) + ";")
