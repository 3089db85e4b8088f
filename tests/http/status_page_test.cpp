// SPDX-License-Identifier: MPL-2.0
#include "http_fixture.h"
#include "support/process.h"

namespace aarshjul::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

using StatusPage = ApiFixture;

const fs::path kChromium = "/usr/bin/chromium";

// The status page is server-rendered HTML: overdue first, then the controls,
// then the next deadlines; Danish by default and English on request.
TEST_F(StatusPage, OverdueFirstInDanishAndEnglish) {
    auto da = get("/");
    ASSERT_EQ(da.status, 200) << da.body;
    EXPECT_NE(da.headers["content-type"].find("text/html"), std::string::npos);
    const auto overdue = da.body.find("<h2>Overskredne opgaver");
    const auto controls = da.body.find("<h2>Kontroller");
    const auto next = da.body.find("<h2>Næste frister");
    ASSERT_NE(overdue, std::string::npos) << da.body;
    EXPECT_LT(overdue, controls);
    EXPECT_LT(controls, next);
    EXPECT_NE(da.body.find("Testkommune"), std::string::npos);
    EXPECT_NE(da.body.find("Risikovurdering af system"), std::string::npos);
    EXPECT_EQ(da.body.find("<script"), std::string::npos);

    auto en = get("/?lang=en");
    EXPECT_NE(en.body.find("<h2>Overdue tasks"), std::string::npos);
    EXPECT_NE(en.body.find("Risk assessment of system"), std::string::npos);
    // A projector's browser language does not switch the page.
    auto by_header = http_request(port, "GET", "/", {},
                                  {"Accept-Language: en", "Authorization: Bearer " + kViewerToken});
    EXPECT_NE(by_header.body.find("Årshjulet"), std::string::npos);
}

// A browser can carry the token in the URL; without any credential it is sent
// to the sign-in page (not a JSON 401).
TEST_F(StatusPage, NeedsAToken) {
    auto anonymous = get("/", "");
    EXPECT_EQ(anonymous.status, 303);
    EXPECT_EQ(anonymous.headers["location"], "/signin?next=%2F");
    auto page = get("/?token=" + kViewerToken, "");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("token=" + kViewerToken), std::string::npos); // language link keeps it
}

// Headless Chromium renders the page; the screenshot is kept as a test
// artifact and the rendered text has the overdue tasks with their owners.
TEST_F(StatusPage, RendersInHeadlessChromium) {
    if (!fs::exists(kChromium))
        GTEST_SKIP() << "chromium is not installed (apt-get install chromium; "
                        "scripts/install-deps.sh installs it)";
    const fs::path artifacts = fs::path(AARSHJUL_BINARY_DIR) / "test-artifacts";
    fs::create_directories(artifacts);
    const fs::path shot = artifacts / "status-page.png";
    fs::remove(shot);
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/?token=" + kViewerToken;
    const std::vector<std::string> common{kChromium.string(),
                                          "--headless",
                                          "--no-sandbox",
                                          "--disable-gpu",
                                          "--disable-dev-shm-usage",
                                          "--no-first-run",
                                          "--hide-scrollbars",
                                          "--user-data-dir=" + (dir.path() / "chromium").string()};

    auto screenshot_args = common;
    screenshot_args.insert(screenshot_args.end(),
                           {"--window-size=1280,1600", "--screenshot=" + shot.string(), url});
    Process screenshot(screenshot_args, dir.path() / "chromium-screenshot.log");
    ASSERT_EQ(screenshot.wait(120s), 0) << screenshot.log();
    ASSERT_TRUE(fs::exists(shot)) << screenshot.log();
    EXPECT_GT(fs::file_size(shot), 10000u);
    std::string png = read_file(shot);
    EXPECT_EQ(png.substr(1, 3), "PNG");

    auto dom_args = common;
    dom_args.insert(dom_args.end(), {"--dump-dom", url});
    Process dom(dom_args, dir.path() / "chromium-dom.log");
    ASSERT_EQ(dom.wait(120s), 0) << dom.log();
    const std::string text = dom.log();
    EXPECT_NE(text.find("Overskredne opgaver"), std::string::npos) << text;
    EXPECT_NE(text.find("Årshjulet – Testkommune"), std::string::npos);
    EXPECT_NE(text.find("Carla Holm"), std::string::npos); // an owner of an overdue task
    EXPECT_LT(text.find("Overskredne opgaver"), text.find("Næste frister"));
}

} // namespace
} // namespace aarshjul::testing
