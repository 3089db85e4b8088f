// SPDX-License-Identifier: MPL-2.0
#include "http/router.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <set>
#include <sstream>

namespace aarshjul::testing {
namespace {

// (method, path) pairs declared under `paths:` of the OpenAPI document: a path
// is a two-space-indented key, its operations four-space-indented HTTP verbs.
std::set<std::pair<std::string, std::string>> documented(const std::string& yaml) {
    std::set<std::pair<std::string, std::string>> out;
    std::istringstream in(yaml);
    std::string line, path;
    bool in_paths = false;
    const std::set<std::string> verbs{"get", "post", "put", "patch", "delete", "head", "options"};
    while (std::getline(in, line)) {
        if (line.starts_with("paths:")) {
            in_paths = true;
            continue;
        }
        if (!in_paths)
            continue;
        if (!line.empty() && line[0] != ' ' && line[0] != '#')
            break; // the next top-level key
        if (line.starts_with("  /") && line.ends_with(":")) {
            path = line.substr(2, line.size() - 3);
        } else if (line.starts_with("    ") && line[4] != ' ' && line.ends_with(":")) {
            std::string verb = line.substr(4, line.size() - 5);
            if (verbs.count(verb)) {
                for (auto& c : verb)
                    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                out.emplace(verb, path);
            }
        }
    }
    return out;
}

// The OpenAPI document lists exactly the routes the router serves.
TEST(OpenApi, DocumentMatchesTheRoutes) {
    const std::string yaml =
        read_file(std::filesystem::path(AARSHJUL_SOURCE_DIR) / "daemon/http/openapi.yaml");
    ASSERT_FALSE(yaml.empty());
    ASSERT_TRUE(yaml.starts_with("openapi: 3."));
    std::set<std::pair<std::string, std::string>> served;
    for (const auto& route : http::routes())
        served.emplace(std::string(route.method), std::string(route.pattern));
    const auto doc = documented(yaml);
    for (const auto& r : served)
        EXPECT_TRUE(doc.count(r)) << r.first << " " << r.second << " is served but not documented";
    for (const auto& d : doc)
        EXPECT_TRUE(served.count(d))
            << d.first << " " << d.second << " is documented but not served";
    EXPECT_EQ(doc.size(), served.size());
}

// The parser above finds what it should (so the test above can fail).
TEST(OpenApi, ParserSeesPathsAndVerbs) {
    const auto doc = documented("openapi: 3.0.3\npaths:\n  /a:\n    get:\n      x: 1\n"
                                "    parameters:\n  /b/{id}:\n    post:\ncomponents:\n  /c:\n"
                                "    get:\n");
    const std::set<std::pair<std::string, std::string>> expected{{"GET", "/a"},
                                                                 {"POST", "/b/{id}"}};
    EXPECT_EQ(doc, expected);
}

} // namespace
} // namespace aarshjul::testing
