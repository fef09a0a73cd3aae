"""The web console in headless Chromium, as its people use it; every page checked by axe-core.

Usage: console_e2e.py BASE TOKEN OFFICER_LINK ADMIN_LINK CDS_ADMIN SCREENSHOT_DIR

BASE is the server; TOKEN the province administrator's bearer token (for the changes made behind the browser's back
and for looking records up); the links are the invitations `cds-admin users invite` printed; CDS_ADMIN is the
cds-admin program, whose `report establishment` the dashboard must equal (CDS_SERVER and CDS_TOKEN set). Exits
non-zero at the first check that fails.
"""

import csv
import json
import os
import subprocess
import sys
import urllib.request

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, TOKEN, OFFICER_LINK, ADMIN_LINK, CDS_ADMIN, SHOTS = sys.argv[1:7]
OFFICER_PASSWORD = "Bản Mòng 2026 xanh lắm"
ADMIN_PASSWORD = "Tỉnh Sơn La 2026 cao nguyên"
step_number = 0
checked_pages = set()


def check(condition, message):
    if not condition:
        raise SystemExit(f"FAILED: {message}")
    print(f"ok: {message}")


def api(method, path, body=None, if_match=None):
    request = urllib.request.Request(BASE + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Authorization", f"Bearer {TOKEN}")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if if_match:
        request.add_header("If-Match", if_match)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"{}"), response.headers.get("ETag")


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=vi"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def step(driver, name):
    """A screenshot of the page as it is, and an accessibility check of each page the first time it is shown."""
    global step_number
    step_number += 1
    driver.save_screenshot(os.path.join(SHOTS, f"{step_number:02d}-{name}.png"))
    page = driver.current_url.split("?")[0].rsplit("/", 1)[-1] + ":" + driver.title
    if page in checked_pages:
        return
    checked_pages.add(page)
    axe = Axe(driver)
    axe.inject()
    results = axe.run(options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}})
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    for violation in serious:
        print(f"  axe: {violation['id']} ({violation['impact']}): {violation['help']} — "
              f"{[node['target'] for node in violation['nodes']][:3]}")
    check(not serious, f"axe finds no serious accessibility fault on {name}")


def fill(driver, fields):
    for name, value in fields.items():
        element = driver.find_element(By.NAME, name)
        element.clear()
        element.send_keys(value)


def replaced(page):
    """Whether the page `page` (its html element) has given way to another. Chromedriver reports an element of a
    page already gone either as stale or, while the new page loads, as a node outside the document."""
    def predicate(_driver):
        try:
            page.is_enabled()
            return False
        except (StaleElementReferenceException, WebDriverException):
            return True
    return predicate


def submit(driver, form_selector="main form"):
    """Sends the form and waits for the page that answers it."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, f"{form_selector} button[type=submit]").click()
    WebDriverWait(driver, 30).until(replaced(page))


def choose_password(driver, link, password, name):
    driver.get(link)
    check("Đặt mật khẩu" in driver.page_source, f"the invitation greets {name} in Vietnamese")
    step(driver, f"invitation-{name}")
    fill(driver, {"password": password, "confirmation": password})
    submit(driver)
    check("/console/sign-in" in driver.current_url, "choosing the password leads to the sign-in page")


def sign_in(driver, name, password):
    driver.get(BASE + "/console/sign-in")
    step(driver, "sign-in")
    fill(driver, {"name": name, "password": password})
    submit(driver)
    check(driver.find_elements(By.CSS_SELECTOR, "button[type=submit]") and "Đăng xuất" in driver.page_source,
          f"{name} is signed in")


def officer_scenario(driver):
    choose_password(driver, OFFICER_LINK, OFFICER_PASSWORD, "lan")
    sign_in(driver, "lan", OFFICER_PASSWORD)
    step(driver, "officer-dashboard")

    # Add a member.
    driver.get(BASE + "/console/members/new")
    step(driver, "member-new")
    fill(driver, {"full_name": "Lò Thị Hiền", "birth_year": "1994", "ethnicity": "Thái", "phone": "0912 345 678",
                  "joined_on": "02/12/2026"})
    driver.find_element(By.ID, "has_smartphone").click()
    submit(driver)
    check("Lò Thị Hiền" in driver.find_element(By.TAG_NAME, "h1").text, "the new member's page shows her")
    member_url = driver.current_url
    member_id = member_url.rsplit("/", 1)[-1]
    check("02/12/2026" in driver.page_source, "her joining day reads dd/MM/yyyy")
    step(driver, "member-added")

    # Find her without diacritics.
    driver.get(BASE + "/console/members")
    search = driver.find_element(By.ID, "q")
    search.send_keys("lo thi hien")
    submit(driver, "form.search")
    step(driver, "members-search")
    check("Lò Thị Hiền" in driver.page_source, "\"lo thi hien\" finds \"Lò Thị Hiền\"")
    step(driver, "members-search")

    # Edit her; someone else saves first; the console shows both versions and asks.
    driver.get(member_url + "/edit")
    step(driver, "member-edit")
    fill(driver, {"ethnicity": "Thái đen"})
    current, etag = api("GET", f"/v1/members/{member_id}")
    api("PATCH", f"/v1/members/{member_id}", {"phone": "0987654321"}, if_match=etag)
    submit(driver)
    check("người khác đã sửa" in driver.page_source, "a stale edit is not saved: the conflict is shown")
    check("Bản hiện tại" in driver.page_source and "0987654321" in driver.page_source,
          "the conflict shows the version saved meanwhile")
    step(driver, "member-conflict")
    submit(driver)
    saved, _ = api("GET", f"/v1/members/{member_id}")
    check(saved["personal"]["ethnicity"] == "Thái đen", "saving again, knowingly, keeps her edit")

    # Import a sheet with one bad line: nothing is written, the line is named.
    team_id = saved["team_id"]
    sheet = ("team_id,full_name,birth_year\n"
             f"{team_id},Quàng Văn Nhập,1990\n"
             f"{team_id},Lường Thị Sai,năm nay\n")
    driver.get(BASE + "/console/members/import")
    driver.find_element(By.ID, "sheet").send_keys(sheet)
    submit(driver)
    rows = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "table.faults tbody tr")]
    check(len(rows) == 1 and rows[0].startswith("3"), f"the faulty line 3 is listed, alone: {rows}")
    step(driver, "member-import-faults")
    found, _ = api("GET", "/v1/members?q=quang%20van%20nhap")
    check(found["items"] == [], "nothing of the sheet was written")

    # The citizen's request relayed by a partner app: in her queue, its contact shown to her, answered.
    driver.get(BASE + "/console/feedback")
    step(driver, "feedback-queue")
    report = driver.find_element(By.CSS_SELECTOR, "main table a").get_attribute("href")
    driver.get(report)
    check("Quàng Văn Minh" in driver.page_source and "0987654321" in driver.page_source,
          "the request's handler sees the citizen's contact")
    step(driver, "feedback-report")
    Select(driver.find_element(By.ID, "status")).select_by_value("accepted")
    fill(driver, {"public_message": "Tổ sẽ đến nhà hướng dẫn cài VNeID vào chiều thứ Bảy."})
    submit(driver, "form[action$='/transition']")
    check("Đã tiếp nhận" in driver.page_source and "chiều thứ Bảy" in driver.page_source,
          "accepting it with an answer shows in its history")
    step(driver, "feedback-accepted")

    # Another district's member: the same page as a missing one.
    other, _ = api("GET", "/v1/members?unit=3682&limit=1")
    driver.get(BASE + f"/console/members/{other['items'][0]['id']}")
    foreign = driver.find_element(By.TAG_NAME, "main").text
    driver.get(BASE + "/console/members/00000000-0000-4000-8000-000000000000")
    missing = driver.find_element(By.TAG_NAME, "main").text
    check("Không tìm thấy" in foreign and foreign == missing, "a Quỳnh Nhai member's page is the missing page")
    step(driver, "member-other-district")

    # Sign out.
    submit(driver, "form[action='/console/sign-out']")
    check("/console/sign-in" in driver.current_url, "signing out leads to the sign-in page")
    driver.get(member_url)
    check("/console/sign-in" in driver.current_url, "after signing out, a page asks to sign in again")
    step(driver, "signed-out")


def admin_scenario(driver):
    choose_password(driver, ADMIN_LINK, ADMIN_PASSWORD, "tinh-admin")
    sign_in(driver, "tinh-admin", ADMIN_PASSWORD)
    step(driver, "province-dashboard")
    report = subprocess.run([CDS_ADMIN, "report", "establishment", "--format", "csv"], check=True, capture_output=True,
                            text=True).stdout
    expected = list(csv.reader(report.lstrip("\ufeff").splitlines()))[1:]
    shown = [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
             for row in driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")]
    check(len(shown) == len(expected), f"the dashboard has the report's {len(expected)} lines")
    for ours, theirs in zip(shown, expected):
        numbers = [cell.replace(".", "") for cell in ours[2:]]
        check(numbers == theirs[-5:] and (ours[1] == theirs[2] or ours[1] == "Tổng cộng"),
              f"{ours[1]}: {ours[2:]} equals the report's {theirs[-5:]}")
    hamlet_members = f"{int(expected[-1][-2]):,}".replace(",", ".")
    check(shown[-1][5] == hamlet_members, f"the province's {hamlet_members} hamlet team members are grouped with dots")
    driver.set_window_size(360, 800)
    step(driver, "province-dashboard-phone")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    check(width <= 360, f"the dashboard fits 360 px without scrolling sideways (page is {width} px)")
    driver.set_window_size(1280, 1000)
    console_tour(driver)


def open_page(driver, path, name):
    driver.get(BASE + path)
    check(driver.find_elements(By.TAG_NAME, "h1") and "Không thực hiện được" not in driver.title
          and "Không tìm thấy" not in driver.title, f"{name} opens")
    step(driver, name)


def console_tour(driver):
    """Every section of the header, and one record of each, as the province's administrator opens them."""
    sections = [link.get_attribute("href") for link in driver.find_elements(By.CSS_SELECTOR, "header nav a")]
    check(len(sections) >= 9, f"the province's administrator has every section: {len(sections)}")
    for href in sections:
        open_page(driver, href.removeprefix(BASE), "section-" + href.rstrip("/").rsplit("/", 1)[-1])
    driver.get(BASE + "/console/units")
    commune = driver.find_element(By.CSS_SELECTOR, "main ul.units a").get_attribute("href")
    open_page(driver, commune.removeprefix(BASE), "unit-commune")
    check(driver.find_elements(By.CSS_SELECTOR, "form[action$='/hamlets']"), "the commune's page offers to add a hamlet")
    hamlet = driver.find_element(By.CSS_SELECTOR, "main ul.units a").get_attribute("href")
    open_page(driver, hamlet.removeprefix(BASE), "unit-hamlet")
    for report in ("coverage", "trainings", "activities"):
        open_page(driver, f"/console/reports/{report}", f"report-{report}")
    open_page(driver, "/console/trainings/new", "training-new")
    open_page(driver, "/console/activities/new", "activity-new")
    open_page(driver, "/console/users/new", "user-new")
    open_page(driver, "/console/two-step", "two-step")
    driver.get(BASE + "/console/feedback")
    reports = driver.find_elements(By.CSS_SELECTOR, "main table a")
    if reports:
        open_page(driver, reports[0].get_attribute("href").removeprefix(BASE), "feedback-report")
    driver.set_window_size(360, 800)
    open_page(driver, "/console/teams", "teams-phone")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    check(width <= 360, f"the teams list fits 360 px without scrolling sideways (page is {width} px)")


def main():
    driver = browser()
    try:
        officer_scenario(driver)
        driver.delete_all_cookies()
        admin_scenario(driver)
    finally:
        driver.quit()
    print(f"console e2e: {step_number} steps, {len(checked_pages)} pages checked by axe-core")


main()
