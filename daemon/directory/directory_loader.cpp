// SPDX-License-Identifier: MPL-2.0
#include "directory/directory_loader.h"

#include "config/toml_reader.h"
#include "util/sha256.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

namespace aarshjul {
namespace {

using toml_reader::Required;
using toml_reader::TableReader;
using toml_reader::TomlErrors;

constexpr std::array kCriticalities = {"low", "medium", "high"};
constexpr std::array kLanguages = {"da", "en"};

template <std::size_t N>
bool one_of(const std::array<const char*, N>& allowed, const std::string& value) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// Remembers the first line of each id so a repeat can point back at it.
class IdRegistry {
public:
    IdRegistry(std::string_view kind, TomlErrors& errors) : m_kind(kind), m_errors(errors) {}

    // Checks shape and uniqueness; true when `id` is usable.
    bool add(const std::string& id, int line) {
        if (!valid_directory_id(id)) {
            m_errors.add(line, std::string(m_kind) + " id '" + id +
                                   "' must match ^[a-z0-9][a-z0-9._-]*$");
            return false;
        }
        const auto [it, inserted] = m_first_line.emplace(id, line);
        if (!inserted) {
            m_errors.add(line, "duplicate " + std::string(m_kind) + " id '" + id +
                                   "' (first defined at line " + std::to_string(it->second) + ")");
            return false;
        }
        return true;
    }

private:
    std::string_view m_kind;
    TomlErrors& m_errors;
    std::map<std::string, int, std::less<>> m_first_line;
};

// Why `role` cannot be held by a person, or nullopt when it can.
std::optional<std::string> role_problem(const std::string& role) {
    if (!valid_role_id(role))
        return "role '" + role + "' must be snake_case (^[a-z][a-z0-9_]*$)";
    if (role == kRoleSystemOwner || role == kRoleSystemResponsible)
        return "role '" + role + "' is given per system (owner/responsible), not to a person";
    if (role == kRoleProcessorResponsible)
        return "role '" + role + "' is given per processor (responsible), not to a person";
    return std::nullopt;
}

// True when `person` (the value of `key`) is a person of the file; reports it otherwise.
bool check_person_ref(TableReader& entry, std::string_view key, const std::string& person,
                      const std::string& who, const Directory& directory) {
    if (directory.find_person(person) != nullptr)
        return true;
    entry.errors().add(entry.line(key), who + ": unknown person '" + person + "'");
    return false;
}

// An optional date key: false only when the key is present and not a valid date.
bool optional_date(TableReader& entry, std::string_view key, std::optional<LocalDate>& out) {
    LocalDate day{};
    if (entry.date(key, day)) {
        out = day;
        return true;
    }
    return !entry.raw().contains(key);
}

void read_person(TableReader& entry, IdRegistry& ids, Directory& directory) {
    Person person;
    const bool has_id = entry.string("id", person.id, Required::Yes);
    const bool has_name = entry.string("name", person.name, Required::Yes);
    const bool has_email = entry.string("email", person.email, Required::Yes);
    entry.string_array("roles", person.roles);
    entry.boolean("digest", person.digest);
    entry.string_array("channels", person.channels);
    const bool has_language = entry.string("language", person.language);
    person.language_set = has_language;
    entry.finish();

    TomlErrors& errors = entry.errors();
    const std::string who = "person '" + person.id + "'";
    if (has_id && !ids.add(person.id, entry.line("id")))
        return;
    if (has_name && person.name.empty())
        errors.add(entry.line("name"), who + ": name must not be empty");
    if (has_email && !plausible_email(person.email))
        errors.add(entry.line("email"), who + ": invalid email '" + person.email + "'");
    if (has_language && !one_of(kLanguages, person.language))
        errors.add(entry.line("language"),
                   who + ": language must be da or en (is '" + person.language + "')");
    for (const auto& role : person.roles)
        if (auto problem = role_problem(role))
            errors.add(entry.line("roles"), who + ": " + *problem);
    if (has_id)
        directory.add_person(std::move(person));
}

void read_system(TableReader& entry, IdRegistry& ids, Directory& directory) {
    System system;
    const bool has_id = entry.string("id", system.id, Required::Yes);
    const bool has_name = entry.string("name", system.name, Required::Yes);
    entry.string("owner", system.owner, Required::Yes);
    entry.string("responsible", system.responsible, Required::Yes);
    const bool has_criticality = entry.string("criticality", system.criticality, Required::Yes);
    entry.finish();

    if (has_id && !ids.add(system.id, entry.line("id")))
        return;
    if (has_name && system.name.empty())
        entry.errors().add(entry.line("name"),
                           "system '" + system.id + "': name must not be empty");
    if (has_criticality && std::find(kCriticalities.begin(), kCriticalities.end(),
                                     system.criticality) == kCriticalities.end())
        entry.errors().add(entry.line("criticality"),
                           "system '" + system.id +
                               "': criticality must be low, medium or high "
                               "(is '" +
                               system.criticality + "')");
    if (has_id)
        directory.add_system(std::move(system));
}

// Owners and responsibles must be people of this file; checked once all people are read.
void check_system_people(const std::vector<const toml::table*>& tables, const Directory& directory,
                         TomlErrors& errors) {
    for (const toml::table* table : tables) {
        const auto* id = table->get_as<std::string>("id");
        if (id == nullptr)
            continue;
        for (const char* key : {"owner", "responsible"}) {
            const auto* person = table->get_as<std::string>(key);
            if (person == nullptr || person->get().empty() ||
                directory.find_person(person->get()) != nullptr)
                continue;
            errors.add(toml_reader::line_of(*person),
                       "system '" + id->get() + "': unknown person '" + person->get() + "'");
        }
    }
}

bool overlap(const RoleAssignment& a, const RoleAssignment& b) {
    const bool a_before_b = a.to && b.from && *a.to < *b.from;
    const bool b_before_a = b.to && a.from && *b.to < *a.from;
    return !a_before_b && !b_before_a;
}

// `lines` holds the line of each assignment already in `directory`, for the overlap check.
void read_assignment(TableReader& entry, Directory& directory, std::vector<int>& lines) {
    RoleAssignment assignment;
    const bool has_role = entry.string("role", assignment.role, Required::Yes);
    const bool has_person = entry.string("person", assignment.person, Required::Yes);
    const bool from_ok = optional_date(entry, "from", assignment.from);
    const bool to_ok = optional_date(entry, "to", assignment.to);
    entry.finish();

    TomlErrors& errors = entry.errors();
    const std::string who = "assignment of '" + assignment.role + "'";
    bool valid = has_role && has_person && from_ok && to_ok;
    if (has_role) {
        if (auto problem = role_problem(assignment.role)) {
            errors.add(entry.line("role"), "assignment: " + *problem);
            valid = false;
        }
    }
    if (has_person && !check_person_ref(entry, "person", assignment.person, who, directory))
        valid = false;
    if (assignment.from && assignment.to && *assignment.to < *assignment.from) {
        errors.add(entry.line("to"), who + ": to " + format_local_date(*assignment.to) +
                                         " is before from " + format_local_date(*assignment.from));
        valid = false;
    }
    if (!valid)
        return;
    for (std::size_t i = 0; i < directory.assignments.size(); ++i) {
        const RoleAssignment& other = directory.assignments[i];
        if (other.role == assignment.role && overlap(other, assignment)) {
            errors.add(entry.line(), who + " overlaps the one at line " + std::to_string(lines[i]) +
                                         " (one holder per role and day)");
            return;
        }
    }
    lines.push_back(entry.line());
    directory.assignments.push_back(std::move(assignment));
}

void read_body(TableReader& entry, IdRegistry& ids, Directory& directory) {
    Body body;
    const bool has_id = entry.string("id", body.id, Required::Yes);
    const bool has_name = entry.string("name", body.name, Required::Yes);
    const bool has_chair = entry.string("chair", body.chair);
    const bool has_secretary = entry.string("secretary", body.secretary);
    entry.date_array("meetings", body.meetings);
    entry.string("channel", body.channel);
    entry.finish();

    const std::string who = "body '" + body.id + "'";
    if (has_id && !ids.add(body.id, entry.line("id")))
        return;
    if (has_name && body.name.empty())
        entry.errors().add(entry.line("name"), who + ": name must not be empty");
    if (has_chair)
        check_person_ref(entry, "chair", body.chair, who, directory);
    if (has_secretary)
        check_person_ref(entry, "secretary", body.secretary, who, directory);
    std::sort(body.meetings.begin(), body.meetings.end());
    body.meetings.erase(std::unique(body.meetings.begin(), body.meetings.end()),
                        body.meetings.end());
    if (has_id)
        directory.bodies.push_back(std::move(body));
}

void read_processor(TableReader& entry, IdRegistry& ids, Directory& directory) {
    Processor processor;
    const bool has_id = entry.string("id", processor.id, Required::Yes);
    const bool has_name = entry.string("name", processor.name, Required::Yes);
    entry.string_array("systems", processor.systems);
    const bool has_tier = entry.string("tier", processor.tier, Required::Yes);
    const bool has_responsible = entry.string("responsible", processor.responsible, Required::Yes);
    entry.finish();

    TomlErrors& errors = entry.errors();
    const std::string who = "processor '" + processor.id + "'";
    if (has_id && !ids.add(processor.id, entry.line("id")))
        return;
    if (has_name && processor.name.empty())
        errors.add(entry.line("name"), who + ": name must not be empty");
    if (has_tier && !one_of(kCriticalities, processor.tier))
        errors.add(entry.line("tier"),
                   who + ": tier must be low, medium or high (is '" + processor.tier + "')");
    if (has_responsible)
        check_person_ref(entry, "responsible", processor.responsible, who, directory);
    std::set<std::string, std::less<>> listed;
    for (const auto& system : processor.systems) {
        if (directory.find_system(system) == nullptr)
            errors.add(entry.line("systems"), who + ": unknown system '" + system + "'");
        else if (!listed.insert(system).second)
            errors.add(entry.line("systems"), who + ": system '" + system + "' listed twice");
    }
    if (has_id)
        directory.processors.push_back(std::move(processor));
}

} // namespace

Result<Directory> load_directory(const std::filesystem::path& file) {
    AARSHJUL_TRY_ASSIGN(std::string text, toml_reader::read_text_file(file));
    return parse_directory(text, file.string());
}

Result<Directory> parse_directory(std::string_view toml_text,
                                  const std::string& file_for_messages) {
    AARSHJUL_TRY_ASSIGN(toml::table document,
                        toml_reader::parse_toml(toml_text, file_for_messages));
    Directory directory;
    directory.file = file_for_messages;
    directory.digest = sha256_hex(toml_text);
    TomlErrors errors(file_for_messages);
    TableReader root(document, "", errors);

    IdRegistry person_ids("person", errors);
    for (const toml::table* table : root.array_of_tables("person")) {
        TableReader entry(*table, "person", errors);
        read_person(entry, person_ids, directory);
    }
    IdRegistry system_ids("system", errors);
    const auto systems = root.array_of_tables("system");
    for (const toml::table* table : systems) {
        TableReader entry(*table, "system", errors);
        read_system(entry, system_ids, directory);
    }
    check_system_people(systems, directory, errors);

    std::vector<int> assignment_lines;
    for (const toml::table* table : root.array_of_tables("assignment")) {
        TableReader entry(*table, "assignment", errors);
        read_assignment(entry, directory, assignment_lines);
    }
    IdRegistry body_ids("body", errors);
    for (const toml::table* table : root.array_of_tables("body")) {
        TableReader entry(*table, "body", errors);
        read_body(entry, body_ids, directory);
    }
    IdRegistry processor_ids("processor", errors);
    for (const toml::table* table : root.array_of_tables("processor")) {
        TableReader entry(*table, "processor", errors);
        read_processor(entry, processor_ids, directory);
    }
    root.finish();
    if (!errors.empty())
        return errors.combined();
    return directory;
}

} // namespace aarshjul
