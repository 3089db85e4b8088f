// SPDX-License-Identifier: MPL-2.0
#include "directory/directory_loader.h"
#include "support/temp_dir.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace aarshjul {
namespace {

const std::string kFile = "config/directory.toml";

// One person (lines 1-4) and one system (lines 5-10) for entries to refer to.
#define PERSON_A "[[person]]\nid = \"a\"\nname = \"A\"\nemail = \"a@x.dk\"\n"
#define SYSTEM_S                                                                                   \
    "[[system]]\nid = \"s\"\nname = \"S\"\nowner = \"a\"\nresponsible = \"a\"\n"                   \
    "criticality = \"low\"\n"

LocalDate day(int y, unsigned m, unsigned d) {
    return LocalDate{date::year{y} / date::month{m} / date::day{d}};
}

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
        {.name = "unknown language",
         .text = PERSON_A "language = \"de\"\n",
         .expected = "config/directory.toml:5: person 'a': language must be da or en (is 'de')"},
        {.name = "digest not a boolean",
         .text = PERSON_A "digest = \"yes\"\n",
         .expected = "config/directory.toml:5: key 'person.digest' must be true or false"},
        {.name = "per-processor role given to a person",
         .text = PERSON_A "roles = [\"processor_responsible\"]\n",
         .expected = "config/directory.toml:5: person 'a': role 'processor_responsible' is given "
                     "per processor (responsible), not to a person"},
        {.name = "assignment to an unknown person",
         .text = PERSON_A "[[assignment]]\nrole = \"coordinator\"\nperson = \"b\"\n",
         .expected = "config/directory.toml:7: assignment of 'coordinator': unknown person 'b'"},
        {.name = "assignment without a role",
         .text = PERSON_A "[[assignment]]\nperson = \"a\"\n",
         .expected = "config/directory.toml:5: missing required key 'assignment.role'"},
        {.name = "assignment of a per-system role",
         .text = PERSON_A "[[assignment]]\nrole = \"system_owner\"\nperson = \"a\"\n",
         .expected = "config/directory.toml:6: assignment: role 'system_owner' is given per system "
                     "(owner/responsible), not to a person"},
        {.name = "assignment role not snake_case",
         .text = PERSON_A "[[assignment]]\nrole = \"Top-Owner\"\nperson = \"a\"\n",
         .expected = "config/directory.toml:6: assignment: role 'Top-Owner' must be snake_case "
                     "(^[a-z][a-z0-9_]*$)"},
        {.name = "assignment date string that is no date",
         .text = PERSON_A "[[assignment]]\nrole = \"r\"\nperson = \"a\"\nfrom = \"2023-02-30\"\n",
         .expected = "config/directory.toml:8: key 'assignment.from': '2023-02-30' is not a valid "
                     "date (YYYY-MM-DD)"},
        {.name = "assignment date in Danish order",
         .text = PERSON_A "[[assignment]]\nrole = \"r\"\nperson = \"a\"\nto = \"16-03-2023\"\n",
         .expected = "config/directory.toml:8: key 'assignment.to': '16-03-2023' is not a valid "
                     "date (YYYY-MM-DD)"},
        {.name = "assignment date as an integer",
         .text = PERSON_A "[[assignment]]\nrole = \"r\"\nperson = \"a\"\nfrom = 20230316\n",
         .expected = "config/directory.toml:8: key 'assignment.from' must be a date (YYYY-MM-DD)"},
        {.name = "assignment date with a time",
         .text = PERSON_A "[[assignment]]\nrole = \"r\"\nperson = \"a\"\n"
                          "from = 2023-03-16T08:00:00\n",
         .expected = "config/directory.toml:8: key 'assignment.from' must be a date (YYYY-MM-DD)"},
        {.name = "assignment ending before it starts",
         .text = PERSON_A "[[assignment]]\nrole = \"r\"\nperson = \"a\"\nfrom = 2027-01-01\n"
                          "to = 2026-12-31\n",
         .expected = "config/directory.toml:9: assignment of 'r': to 2026-12-31 is before from "
                     "2027-01-01"},
        {.name = "overlapping assignments of one role",
         .text = PERSON_A "[[assignment]]\nrole = \"r\"\nperson = \"a\"\nfrom = 2023-03-16\n"
                          "[[assignment]]\nrole = \"r\"\nperson = \"a\"\nfrom = 2024-01-01\n"
                          "to = 2024-12-31\n",
         .expected = "config/directory.toml:9: assignment of 'r' overlaps the one at line 5 (one "
                     "holder per role and day)"},
        {.name = "open-ended assignments of one role overlap",
         .text = PERSON_A "[[assignment]]\nrole = \"r\"\nperson = \"a\"\nto = 2023-03-16\n"
                          "[[assignment]]\nrole = \"r\"\nperson = \"a\"\nfrom = 2023-03-16\n",
         .expected = "config/directory.toml:9: assignment of 'r' overlaps the one at line 5 (one "
                     "holder per role and day)"},
        {.name = "unknown assignment key",
         .text = PERSON_A "[[assignment]]\nrole = \"r\"\nperson = \"a\"\nuntil = 2024-01-01\n",
         .expected = "config/directory.toml:8: unknown key 'assignment.until'"},
        {.name = "duplicate body",
         .text = "[[body]]\nid = \"isu\"\nname = \"ISU\"\n[[body]]\nid = \"isu\"\nname = \"U\"\n",
         .expected = "config/directory.toml:5: duplicate body id 'isu' (first defined at line 2)"},
        {.name = "body id not an id",
         .text = "[[body]]\nid = \"Byrådet\"\nname = \"Byrådet\"\n",
         .expected = "config/directory.toml:2: body id 'Byrådet' must match "
                     "^[a-z0-9][a-z0-9._-]*$"},
        {.name = "body without a name",
         .text = "[[body]]\nid = \"isu\"\n",
         .expected = "config/directory.toml:1: missing required key 'body.name'"},
        {.name = "body with an empty name",
         .text = "[[body]]\nid = \"isu\"\nname = \"\"\n",
         .expected = "config/directory.toml:3: body 'isu': name must not be empty"},
        {.name = "body chair unknown",
         .text = PERSON_A "[[body]]\nid = \"isu\"\nname = \"ISU\"\nchair = \"b\"\n",
         .expected = "config/directory.toml:8: body 'isu': unknown person 'b'"},
        {.name = "body secretary unknown",
         .text = PERSON_A "[[body]]\nid = \"isu\"\nname = \"ISU\"\nchair = \"a\"\n"
                          "secretary = \"anna\"\n",
         .expected = "config/directory.toml:9: body 'isu': unknown person 'anna'"},
        {.name = "meeting that is no date",
         .text = "[[body]]\nid = \"isu\"\nname = \"ISU\"\nmeetings = [\n  2027-03-04,\n"
                 "  \"2027-13-01\",\n]\n",
         .expected = "config/directory.toml:6: key 'body.meetings': '2027-13-01' is not a valid "
                     "date (YYYY-MM-DD)"},
        {.name = "meeting as a number",
         .text = "[[body]]\nid = \"isu\"\nname = \"ISU\"\nmeetings = [2027-03-04, 5]\n",
         .expected = "config/directory.toml:4: key 'body.meetings' must be an array of dates "
                     "(YYYY-MM-DD)"},
        {.name = "meetings not an array",
         .text = "[[body]]\nid = \"isu\"\nname = \"ISU\"\nmeetings = 2027-03-04\n",
         .expected = "config/directory.toml:4: key 'body.meetings' must be an array of dates "
                     "(YYYY-MM-DD)"},
        {.name = "processor of an unknown system",
         .text = PERSON_A SYSTEM_S "[[processor]]\nid = \"kmd\"\nname = \"KMD\"\n"
                                   "systems = [\"s\", \"nexus\"]\ntier = \"high\"\n"
                                   "responsible = \"a\"\n",
         .expected = "config/directory.toml:14: processor 'kmd': unknown system 'nexus'"},
        {.name = "processor lists a system twice",
         .text = PERSON_A SYSTEM_S "[[processor]]\nid = \"kmd\"\nname = \"KMD\"\n"
                                   "systems = [\"s\", \"s\"]\ntier = \"high\"\n"
                                   "responsible = \"a\"\n",
         .expected = "config/directory.toml:14: processor 'kmd': system 's' listed twice"},
        {.name = "processor with a bad tier",
         .text = PERSON_A SYSTEM_S "[[processor]]\nid = \"kmd\"\nname = \"KMD\"\n"
                                   "systems = [\"s\"]\ntier = \"critical\"\n"
                                   "responsible = \"a\"\n",
         .expected = "config/directory.toml:15: processor 'kmd': tier must be low, medium or "
                     "high (is 'critical')"},
        {.name = "processor without a tier",
         .text = PERSON_A "[[processor]]\nid = \"kmd\"\nname = \"KMD\"\nresponsible = \"a\"\n",
         .expected = "config/directory.toml:5: missing required key 'processor.tier'"},
        {.name = "processor responsible unknown",
         .text = PERSON_A "[[processor]]\nid = \"kmd\"\nname = \"KMD\"\ntier = \"low\"\n"
                          "responsible = \"b\"\n",
         .expected = "config/directory.toml:9: processor 'kmd': unknown person 'b'"},
        {.name = "duplicate processor",
         .text = PERSON_A "[[processor]]\nid = \"kmd\"\nname = \"KMD\"\ntier = \"low\"\n"
                          "responsible = \"a\"\n"
                          "[[processor]]\nid = \"kmd\"\nname = \"KMD 2\"\ntier = \"low\"\n"
                          "responsible = \"a\"\n",
         .expected = "config/directory.toml:11: duplicate processor id 'kmd' (first defined at "
                     "line 6)"},
        {.name = "unknown processor key",
         .text = PERSON_A "[[processor]]\nid = \"kmd\"\nname = \"KMD\"\ntier = \"low\"\n"
                          "responsible = \"a\"\nrisk = \"high\"\n",
         .expected = "config/directory.toml:10: unknown key 'processor.risk'"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto directory = parse_directory(c.text, kFile);
        ASSERT_FALSE(directory.ok());
        if (c.expected != nullptr) {
            // The whole message: exactly this error and no other.
            EXPECT_EQ(directory.error().to_string(), c.expected);
        } else {
            EXPECT_EQ(directory.error().line, 2);
            EXPECT_NE(directory.error().message.find("TOML syntax error"), std::string::npos);
        }
    }
}

// Assignments, bodies and processors are read with their dates, references and defaults.
TEST(Directory, ParsesAssignmentsBodiesAndProcessors) {
    auto directory = parse_directory(PERSON_A SYSTEM_S R"(
[[person]]
id = "b"
name = "B"
email = "b@x.dk"
digest = false
language = "en"

[[system]]
id = "t"
name = "T"
owner = "b"
responsible = "b"
criticality = "high"

[[assignment]]
role = "top_security_owner"
person = "b"
from = 2023-03-16
to = "2027-12-31"

[[assignment]]
role = "coordinator"
person = "a"

[[body]]
id = "a"            # a body may share a person's id: bodies have their own id space
name = "Informationssikkerhedsudvalget"
chair = "a"
secretary = "b"
meetings = [2027-09-02, "2027-03-04", 2027-06-03, "2027-09-02", 2026-12-03]

[[body]]
id = "byraad"
name = "Byrådet"

[[processor]]
id = "s"            # and so may a processor a system's
name = "KMD A/S"
systems = ["t", "s"]
tier = "medium"
responsible = "b"

[[processor]]
id = "log"
name = "Logning ApS"
tier = "low"
responsible = "a"
)",
                                     kFile);
    ASSERT_TRUE(directory.ok()) << directory.error().to_string();
    ASSERT_EQ(directory->people.size(), 2u);
    EXPECT_TRUE(directory->people[0].digest);
    EXPECT_EQ(directory->people[0].language, "da");
    EXPECT_FALSE(directory->people[1].digest);
    EXPECT_EQ(directory->people[1].language, "en");

    ASSERT_EQ(directory->assignments.size(), 2u);
    const RoleAssignment& delegation = directory->assignments[0];
    EXPECT_EQ(delegation.role, "top_security_owner");
    EXPECT_EQ(delegation.person, "b");
    EXPECT_EQ(delegation.from, day(2023, 3, 16));
    EXPECT_EQ(delegation.to, day(2027, 12, 31));
    EXPECT_FALSE(directory->assignments[1].from.has_value());
    EXPECT_FALSE(directory->assignments[1].to.has_value());
    EXPECT_TRUE(directory->role_exists("top_security_owner"));

    ASSERT_EQ(directory->bodies.size(), 2u);
    const Body* isu = directory->find_body("a");
    ASSERT_NE(isu, nullptr);
    EXPECT_EQ(isu->name, "Informationssikkerhedsudvalget");
    EXPECT_EQ(isu->chair, "a");
    EXPECT_EQ(isu->secretary, "b");
    EXPECT_EQ(isu->meetings, (std::vector<LocalDate>{day(2026, 12, 3), day(2027, 3, 4),
                                                     day(2027, 6, 3), day(2027, 9, 2)}));
    const Body* council = directory->find_body("byraad");
    ASSERT_NE(council, nullptr);
    EXPECT_TRUE(council->chair.empty());
    EXPECT_TRUE(council->meetings.empty());

    ASSERT_EQ(directory->processors.size(), 2u);
    EXPECT_EQ(directory->processors[0].id, "s");
    EXPECT_EQ(directory->processors[0].systems, (std::vector<std::string>{"t", "s"}));
    EXPECT_EQ(directory->processors[0].tier, "medium");
    EXPECT_EQ(directory->processors[0].responsible, "b");
    EXPECT_TRUE(directory->processors[1].systems.empty());
}

// The holder of a role is the dated assignment on the days it covers, else the person listing it.
TEST(Directory, HolderOfFollowsAssignments) {
    auto directory = parse_directory(R"(
[[person]]
id = "ceo"
name = "Kommunaldirektør"
email = "ceo@x.dk"
roles = ["top_security_owner", "coordinator"]

[[person]]
id = "finance"
name = "Løn- og Økonomichef"
email = "finance@x.dk"

[[person]]
id = "deputy"
name = "Stedfortræder"
email = "deputy@x.dk"

[[assignment]]
role = "top_security_owner"
person = "finance"
from = 2023-03-16
to = 2024-06-30

[[assignment]]
role = "top_security_owner"
person = "deputy"
from = 2025-01-01

[[assignment]]
role = "dpo"
person = "deputy"
to = 2022-12-31
)",
                                     kFile);
    ASSERT_TRUE(directory.ok()) << directory.error().to_string();
    struct Case {
        const char* role;
        LocalDate on;
        const char* holder;
    };
    const Case cases[] = {
        {"top_security_owner", day(2023, 3, 15), "ceo"},
        {"top_security_owner", day(2023, 3, 16), "finance"},
        {"top_security_owner", day(2024, 6, 30), "finance"},
        {"top_security_owner", day(2024, 7, 1), "ceo"},
        {"top_security_owner", day(2024, 12, 31), "ceo"},
        {"top_security_owner", day(2025, 1, 1), "deputy"},
        {"top_security_owner", day(2040, 2, 29), "deputy"},
        {"coordinator", day(2027, 1, 1), "ceo"},
        {"dpo", day(2022, 12, 31), "deputy"},
        {"dpo", day(2023, 1, 1), ""},
        {"council", day(2027, 1, 1), ""},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.role) + " on " + format_local_date(c.on));
        EXPECT_EQ(directory->holder_of(c.role, c.on), c.holder);
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

// A register entry with a byte that is not UTF-8 (a Latin-1 export) refuses the
// file at that line and column, naming the byte, whether read from disk or text.
TEST(Directory, RefusesBytesThatAreNotUtf8) {
    testing::TempDir dir;
    const auto file =
        dir.write("directory.toml", PERSON_A SYSTEM_S
                  "[[person]]\nid = \"b\"\nname = \"S\xf8ren\"\nemail = \"b@x.dk\"\n");
    auto directory = load_directory(file);
    ASSERT_FALSE(directory.ok());
    EXPECT_EQ(directory.error().to_string(),
              file.string() + ":13: not valid UTF-8 (byte 0xF8 in column 10); save the file as "
                              "UTF-8");
    auto comment = parse_directory("# \xe6ndret\n" PERSON_A, kFile);
    ASSERT_FALSE(comment.ok());
    EXPECT_EQ(comment.error().line, 1);
    EXPECT_EQ(comment.error().kind, ErrorKind::Invalid);
}

// An empty file is an empty directory, not an error.
TEST(Directory, EmptyFileIsEmptyDirectory) {
    auto directory = parse_directory("# nobody yet\n", kFile);
    ASSERT_TRUE(directory.ok()) << directory.error().to_string();
    EXPECT_TRUE(directory->people.empty());
    EXPECT_TRUE(directory->systems.empty());
    EXPECT_TRUE(directory->assignments.empty());
    EXPECT_TRUE(directory->bodies.empty());
    EXPECT_TRUE(directory->processors.empty());
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

// The shipped sample's assignment, bodies and processors serve the annual cycle.
TEST(Directory, ShippedCycleEntries) {
    const std::filesystem::path file =
        std::filesystem::path(AARSHJUL_SOURCE_DIR) / "config" / "directory.toml";
    auto directory = load_directory(file);
    ASSERT_TRUE(directory.ok()) << directory.error().to_string();

    // S4: the CEO by default, delegated to the head of payroll and finance from 16 March 2023.
    EXPECT_EQ(directory->holder_of("top_security_owner", day(2023, 3, 15)), "henrik.moeller");
    EXPECT_EQ(directory->holder_of("top_security_owner", day(2023, 3, 16)), "bo.nielsen");
    EXPECT_EQ(directory->holder_of("top_security_owner", day(2027, 6, 1)), "bo.nielsen");

    // Meetings per body and calendar year, and sanity of every meeting day.
    std::map<std::string, std::map<int, int>> per_year;
    for (const char* id : {"isu", "direktion", "oekonomiudvalg", "byraad"}) {
        const Body* body = directory->find_body(id);
        ASSERT_NE(body, nullptr) << id;
        EXPECT_FALSE(body->name.empty()) << id;
        EXPECT_TRUE(std::is_sorted(body->meetings.begin(), body->meetings.end())) << id;
        for (const LocalDate meeting : body->meetings) {
            const date::year_month_day ymd{meeting};
            const date::weekday weekday{meeting};
            EXPECT_TRUE(weekday != date::Saturday && weekday != date::Sunday)
                << id << " " << format_local_date(meeting);
            if (std::string_view(id) == "byraad") {
                EXPECT_NE(ymd.month(), date::July) << format_local_date(meeting);
            }
            ++per_year[id][static_cast<int>(ymd.year())];
        }
    }
    for (int year : {2026, 2027})
        EXPECT_EQ(per_year["isu"][year], 4) << year;
    for (int year : {2026, 2027, 2028}) {
        EXPECT_GE(per_year["direktion"][year], 20) << year;
        EXPECT_GE(per_year["oekonomiudvalg"][year], 10) << year;
        EXPECT_GE(per_year["byraad"][year], 9) << year;
        EXPECT_LE(per_year["byraad"][year], 11) << year;
    }
    // "Mødekalender ... et halvt år frem": six months of committee meetings are booked
    // from every day of 2026 and 2027 up to 1 December 2027.
    const auto& isu = directory->find_body("isu")->meetings;
    ASSERT_FALSE(isu.empty());
    EXPECT_GE(isu.back(), add_months_clamped(day(2027, 12, 1), 6));
    EXPECT_LE(isu.front(), day(2026, 6, 30));

    EXPECT_GE(directory->processors.size(), 8u);
    std::set<std::string> tiers;
    for (const auto& processor : directory->processors) {
        tiers.insert(processor.tier);
        EXPECT_FALSE(processor.systems.empty()) << processor.id;
        EXPECT_NE(directory->find_person(processor.responsible), nullptr) << processor.id;
        for (const auto& system : processor.systems)
            EXPECT_NE(directory->find_system(system), nullptr) << processor.id << " " << system;
    }
    EXPECT_EQ(tiers, (std::set<std::string>{"high", "low", "medium"}));
}

} // namespace
} // namespace aarshjul
