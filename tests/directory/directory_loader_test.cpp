#include "directory/directory_loader.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace aarshjul {
namespace {

const std::string kFile = "config/directory.toml";

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

// A well-formed directory yields its people and systems in file order.
TEST(Directory, ParsesPeopleAndSystems) {
    auto directory = parse_directory(R"(
[[person]]
id = "anna.jensen"
name = "Anna Jensen"
email = "anna.jensen@eksempel.dk"
roles = ["coordinator", "committee_secretary"]

[[person]]
id = "bo.nielsen"
name = "Bo Nielsen"
email = "bo.nielsen@eksempel.dk"

[[system]]
id = "sd-loen"
name = "SD Løn"
owner = "bo.nielsen"
responsible = "anna.jensen"
criticality = "high"
)",
                                     kFile);
    ASSERT_TRUE(directory.ok()) << directory.error().to_string();
    ASSERT_EQ(directory->people.size(), 2u);
    EXPECT_EQ(directory->file, kFile);
    EXPECT_EQ(directory->people[0].id, "anna.jensen");
    EXPECT_EQ(directory->people[0].roles,
              (std::vector<std::string>{"coordinator", "committee_secretary"}));
    EXPECT_TRUE(directory->people[1].roles.empty());
    ASSERT_EQ(directory->systems.size(), 1u);
    const System& system = directory->systems[0];
    EXPECT_EQ(system.name, "SD Løn");
    EXPECT_EQ(system.owner, "bo.nielsen");
    EXPECT_EQ(system.responsible, "anna.jensen");
    EXPECT_EQ(system.criticality, "high");
}

// Unknown person, duplicate id and bad criticality are each reported at their line, all at once.
TEST(Directory, ErrorsCarryLineNumbers) {
    const auto file = std::filesystem::path(AARSHJUL_TEST_DATA) / "directory" / "errors.toml";
    auto directory = load_directory(file);
    ASSERT_FALSE(directory.ok());
    EXPECT_EQ(directory.error().file, file.string());
    EXPECT_EQ(directory.error().line, 14);
    const auto lines = lines_of(directory.error().to_string());
    const std::string f = file.string();
    EXPECT_EQ(lines, (std::vector<std::string>{
                         f + ":14: duplicate person id 'anna.jensen' (first defined at line 3)",
                         f + ":21: system 'sd-loen': unknown person 'bo.nielsn'",
                         f + ":30: system 'aula': criticality must be low, medium or high (is "
                             "'critical')",
                     }));
}

struct ErrorCase {
    const char* name;
    const char* text;
    const char* expected; // first error, "file:line: message"
};

// Each kind of mistake in a directory entry is reported with the line and what is wrong.
TEST(Directory, EntryErrors) {
    const ErrorCase cases[] = {
        {.name = "unknown key",
         .text = "[[person]]\nid = \"a\"\nname = \"A\"\nemial = \"a@x.dk\"\nemail = \"a@x.dk\"\n",
         .expected = "config/directory.toml:4: unknown key 'person.emial'"},
        {.name = "missing email",
         .text = "\n[[person]]\nid = \"a\"\nname = \"A\"\n",
         .expected = "config/directory.toml:2: missing required key 'person.email'"},
        {.name = "missing criticality",
         .text = "[[person]]\nid = \"a\"\nname = \"A\"\nemail = \"a@x.dk\"\n"
                 "[[system]]\nid = \"s\"\nname = \"S\"\nowner = \"a\"\nresponsible = \"a\"\n",
         .expected = "config/directory.toml:5: missing required key 'system.criticality'"},
        {.name = "empty name",
         .text = "[[person]]\nid = \"a\"\nname = \"\"\nemail = \"a@x.dk\"\n",
         .expected = "config/directory.toml:3: person 'a': name must not be empty"},
        {.name = "invalid email",
         .text = "[[person]]\nid = \"a\"\nname = \"A\"\nemail = \"a.eksempel.dk\"\n",
         .expected = "config/directory.toml:4: person 'a': invalid email 'a.eksempel.dk'"},
        {.name = "invalid id",
         .text = "[[person]]\nid = \"Anna Jensen\"\nname = \"A\"\nemail = \"a@x.dk\"\n",
         .expected = "config/directory.toml:2: person id 'Anna Jensen' must match "
                     "^[a-z0-9][a-z0-9._-]*$"},
        {.name = "role not snake_case",
         .text = "[[person]]\nid = \"a\"\nname = \"A\"\nemail = \"a@x.dk\"\n"
                 "roles = [\"Coordinator\"]\n",
         .expected = "config/directory.toml:5: person 'a': role 'Coordinator' must be snake_case "
                     "(^[a-z][a-z0-9_]*$)"},
        {.name = "per-system role given to a person",
         .text = "[[person]]\nid = \"a\"\nname = \"A\"\nemail = \"a@x.dk\"\n"
                 "roles = [\"system_owner\"]\n",
         .expected = "config/directory.toml:5: person 'a': role 'system_owner' is given per "
                     "system (owner/responsible), not to a person"},
        {.name = "roles not strings",
         .text = "[[person]]\nid = \"a\"\nname = \"A\"\nemail = \"a@x.dk\"\nroles = [1, 2]\n",
         .expected = "config/directory.toml:5: key 'person.roles' must be an array of strings"},
        {.name = "duplicate system",
         .text = "[[person]]\nid = \"a\"\nname = \"A\"\nemail = \"a@x.dk\"\n"
                 "[[system]]\nid = \"s\"\nname = \"S\"\nowner = \"a\"\nresponsible = \"a\"\n"
                 "criticality = \"low\"\n"
                 "[[system]]\nid = \"s\"\nname = \"S2\"\nowner = \"a\"\nresponsible = \"a\"\n"
                 "criticality = \"low\"\n",
         .expected = "config/directory.toml:12: duplicate system id 's' (first defined at line 6)"},
        {.name = "unknown responsible",
         .text = "[[person]]\nid = \"a\"\nname = \"A\"\nemail = \"a@x.dk\"\n"
                 "[[system]]\nid = \"s\"\nname = \"S\"\nowner = \"a\"\nresponsible = \"b\"\n"
                 "criticality = \"low\"\n",
         .expected = "config/directory.toml:9: system 's': unknown person 'b'"},
        {.name = "person as a plain table",
         .text = "[person]\nid = \"a\"\n",
         .expected = "config/directory.toml:1: key 'person' must be an array of tables "
                     "([[person]])"},
        {.name = "unknown section",
         .text = "[[people]]\nid = \"a\"\n",
         .expected = "config/directory.toml:1: unknown key 'people'"},
        {.name = "syntax error",
         .text = "[[person]]\nid = \"a\nname = \"A\"\n",
         .expected = nullptr},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto directory = parse_directory(c.text, kFile);
        ASSERT_FALSE(directory.ok());
        if (c.expected != nullptr) {
            EXPECT_EQ(lines_of(directory.error().to_string()).front(), c.expected)
                << directory.error().to_string();
        } else {
            EXPECT_EQ(directory.error().line, 2);
            EXPECT_NE(directory.error().message.find("TOML syntax error"), std::string::npos);
        }
    }
}

// The id, role and email checks accept and refuse what their patterns say.
TEST(Directory, FieldChecks) {
    for (const char* id : {"anna.jensen", "sd-loen", "0day", "a_b", "x"})
        EXPECT_TRUE(valid_directory_id(id)) << id;
    for (const char* id : {"", "Anna", ".hidden", "-x", "a b", "æble", "a/b"})
        EXPECT_FALSE(valid_directory_id(id)) << id;
    for (const char* role : {"coordinator", "top_security_owner", "dpo2"})
        EXPECT_TRUE(valid_role_id(role)) << role;
    for (const char* role : {"", "2nd", "Coordinator", "head-of-it", "a.b"})
        EXPECT_FALSE(valid_role_id(role)) << role;
    for (const char* email : {"anna.jensen@eksempel.dk", "a+b@sub.eksempel.dk"})
        EXPECT_TRUE(plausible_email(email)) << email;
    for (const char* email :
         {"", "anna", "@eksempel.dk", "anna@", "anna@dk", "anna@eksempel.", "a@b@c.dk",
          "anna jensen@eksempel.dk", "anna@eksempel..dk", "anna@.dk"})
        EXPECT_FALSE(plausible_email(email)) << email;
}

// A missing directory file is reported with its path and the reason.
TEST(Directory, MissingFile) {
    testing::TempDir dir;
    auto directory = load_directory(dir.path() / "none.toml");
    ASSERT_FALSE(directory.ok());
    EXPECT_EQ(directory.error().to_string(),
              (dir.path() / "none.toml").string() + ": cannot read: No such file or directory");
}

// An empty file is an empty directory, not an error.
TEST(Directory, EmptyFileIsEmptyDirectory) {
    auto directory = parse_directory("# nobody yet\n", kFile);
    ASSERT_TRUE(directory.ok()) << directory.error().to_string();
    EXPECT_TRUE(directory->people.empty());
    EXPECT_TRUE(directory->systems.empty());
}

// The shipped sample loads cleanly with the roles the annual cycle needs and ~40 systems.
TEST(Directory, ShippedDirectoryLoads) {
    const std::filesystem::path file =
        std::filesystem::path(AARSHJUL_SOURCE_DIR) / "config" / "directory.toml";
    auto directory = load_directory(file);
    ASSERT_TRUE(directory.ok()) << directory.error().to_string();
    EXPECT_GE(directory->people.size(), 20u);
    EXPECT_GE(directory->systems.size(), 40u);
    for (const char* role :
         {"coordinator", "top_security_owner", "committee_chair", "committee_secretary",
          "committee_member", "executive_board", "municipal_ceo", "director", "dpo", "head_of_it",
          "security_working_group", "line_manager", "council"})
        EXPECT_TRUE(directory->role_exists(role)) << role;
    // Exactly one holder for the roles a duty escalates to by name.
    for (const char* role : {"coordinator", "top_security_owner", "committee_chair", "dpo",
                             "head_of_it", "municipal_ceo"})
        EXPECT_EQ(directory->people_with_role(role).size(), 1u) << role;
    std::set<std::string> criticalities, owners;
    for (const auto& system : directory->systems) {
        criticalities.insert(system.criticality);
        owners.insert(system.owner);
        EXPECT_NE(directory->find_person(system.owner), nullptr) << system.id;
        EXPECT_NE(directory->find_person(system.responsible), nullptr) << system.id;
    }
    EXPECT_EQ(criticalities, (std::set<std::string>{"high", "low", "medium"}));
    EXPECT_GE(owners.size(), 5u);
    ASSERT_NE(directory->find_system("sd-loen"), nullptr);
    EXPECT_EQ(directory->find_system("sd-loen")->name, "SD Løn");
}

} // namespace
} // namespace aarshjul
