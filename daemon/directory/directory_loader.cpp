#include "directory/directory_loader.h"

#include "config/toml_reader.h"

#include <algorithm>
#include <array>
#include <map>

namespace aarshjul {
namespace {

using toml_reader::Required;
using toml_reader::TableReader;
using toml_reader::TomlErrors;

constexpr std::array kCriticalities = {"low", "medium", "high"};

bool is_lower_or_digit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
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

void read_person(TableReader& entry, IdRegistry& ids, Directory& directory) {
    Person person;
    const bool has_id = entry.string("id", person.id, Required::Yes);
    const bool has_name = entry.string("name", person.name, Required::Yes);
    const bool has_email = entry.string("email", person.email, Required::Yes);
    entry.string_array("roles", person.roles);
    entry.finish();

    TomlErrors& errors = entry.errors();
    const std::string who = "person '" + person.id + "'";
    if (has_id && !ids.add(person.id, entry.line("id")))
        return;
    if (has_name && person.name.empty())
        errors.add(entry.line("name"), who + ": name must not be empty");
    if (has_email && !plausible_email(person.email))
        errors.add(entry.line("email"), who + ": invalid email '" + person.email + "'");
    for (const auto& role : person.roles) {
        if (!valid_role_id(role))
            errors.add(entry.line("roles"),
                       who + ": role '" + role + "' must be snake_case (^[a-z][a-z0-9_]*$)");
        else if (role == kRoleSystemOwner || role == kRoleSystemResponsible)
            errors.add(entry.line("roles"), who + ": role '" + role +
                                                "' is given per system (owner/responsible), "
                                                "not to a person");
    }
    if (has_id)
        directory.people.push_back(std::move(person));
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
        directory.systems.push_back(std::move(system));
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

} // namespace

bool valid_directory_id(std::string_view id) {
    if (id.empty() || !is_lower_or_digit(id.front()))
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return is_lower_or_digit(c) || c == '.' || c == '_' || c == '-';
    });
}

bool valid_role_id(std::string_view role) {
    if (role.empty() || role.front() < 'a' || role.front() > 'z')
        return false;
    return std::all_of(role.begin(), role.end(),
                       [](char c) { return is_lower_or_digit(c) || c == '_'; });
}

bool plausible_email(std::string_view email) {
    const auto at = email.find('@');
    if (at == std::string_view::npos || at == 0 ||
        email.find('@', at + 1) != std::string_view::npos)
        return false;
    const std::string_view domain = email.substr(at + 1);
    const auto dot = domain.find('.');
    if (dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
        domain.find("..") != std::string_view::npos)
        return false;
    return std::none_of(email.begin(), email.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '<' || c == '>' ||
               c == ',' || c == ';';
    });
}

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
    root.finish();
    if (!errors.empty())
        return errors.combined();
    return directory;
}

} // namespace aarshjul
