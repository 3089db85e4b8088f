// SPDX-License-Identifier: MPL-2.0
#pragma once
// Directory: the people and systems an organisation registers.
//
// Loaded from a TOML file (config/directory.toml) and immutable once loaded;
// share it as `std::shared_ptr<const Directory>`.

#include "time/civil.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace aarshjul {

struct Person {
    std::string id;
    std::string name;
    std::string email;
    std::vector<std::string> roles;    // "coordinator", "top_security_owner", ...
    bool digest = true;                // several notices at once arrive as one digest
    std::string language = "da";       // "da" or "en": the language of notices
    bool language_set = false;         // the directory says so (else pages follow the browser)
    std::vector<std::string> channels; // notifier channels; empty = the configured default
};

// A role held by a person for a period (S4: the top security owner was
// delegated "pr. 16. marts 2023"). Takes precedence over `Person::roles` on
// the days it covers.
struct RoleAssignment {
    std::string role;
    std::string person;
    std::optional<LocalDate> from; // first day, inclusive; unset = always
    std::optional<LocalDate> to;   // last day, inclusive; unset = open-ended
};

// A body that meets: the security committee, the executive board, the
// finance committee, the city council, RSI, TSI. Its meeting calendar drives
// meeting workflows and approval chains.
struct Body {
    std::string id;
    std::string name;
    std::string chair;               // person id, may be empty
    std::string secretary;           // person id, may be empty
    std::vector<LocalDate> meetings; // sorted, unique
    std::string channel;             // where escalations to the body are posted; may be empty
};

// A data processor (databehandler) with its supervision tier.
struct Processor {
    std::string id;
    std::string name;
    std::vector<std::string> systems; // system ids it processes data for
    std::string tier;                 // "low" | "medium" | "high"
    std::string responsible;          // person id: who supervises it
};

struct System {
    std::string id;
    std::string name;
    std::string owner;       // person id (systemejer)
    std::string responsible; // person id (systemansvarlig)
    std::string criticality; // "low" | "medium" | "high"
};

// Role names resolved per system rather than from a person's roles.
inline constexpr std::string_view kRoleSystemOwner = "system_owner";
inline constexpr std::string_view kRoleSystemResponsible = "system_responsible";
inline constexpr std::string_view kRoleProcessorResponsible = "processor_responsible";
// Notices to a body (an escalation to a committee) name "body:<id>" as recipient.
inline constexpr std::string_view kBodyRecipientPrefix = "body:";

struct Directory {
    std::vector<Person> people;
    std::vector<System> systems;
    std::vector<Body> bodies;
    std::vector<Processor> processors;
    std::vector<RoleAssignment> assignments;
    std::string file; // where it was loaded from
    // SHA-256 of the text it was parsed from; empty when built by hand. Part of
    // the planning fingerprint: an unchanged directory plans the same tasks.
    std::string digest;

    const Body* find_body(std::string_view id) const {
        for (const auto& b : bodies)
            if (b.id == id)
                return &b;
        return nullptr;
    }
    // Who holds `role` on `day`: a dated assignment covering the day wins,
    // else the first person listing the role. Empty when nobody does.
    std::string holder_of(std::string_view role, LocalDate day) const {
        for (const auto& a : assignments)
            if (a.role == role && (!a.from || *a.from <= day) && (!a.to || day <= *a.to))
                return a.person;
        auto holders = people_with_role(role);
        return holders.empty() ? std::string() : holders.front()->id;
    }

    // Indexes by id, kept by add_person/add_system (the loader uses them).
    // Measured: with 200,000 systems the linear search made loading a national
    // directory quadratic (bench/RESULTS.md). A Directory filled by hand, or
    // one whose vectors were changed since, falls back to the linear search.
    std::unordered_map<std::string, std::size_t> person_index;
    std::unordered_map<std::string, std::size_t> system_index;

    void add_person(Person p) {
        person_index.emplace(p.id, people.size());
        people.push_back(std::move(p));
    }
    void add_system(System s) {
        system_index.emplace(s.id, systems.size());
        systems.push_back(std::move(s));
    }

    const Person* find_person(std::string_view id) const {
        return find_by_id(people, person_index, id);
    }
    const System* find_system(std::string_view id) const {
        return find_by_id(systems, system_index, id);
    }
    // Everyone holding `role`, in file order.
    std::vector<const Person*> people_with_role(std::string_view role) const {
        std::vector<const Person*> out;
        for (const auto& p : people)
            for (const auto& r : p.roles)
                if (r == role) {
                    out.push_back(&p);
                    break;
                }
        return out;
    }
    bool role_exists(std::string_view role) const {
        if (role == kRoleSystemOwner || role == kRoleSystemResponsible ||
            role == kRoleProcessorResponsible || !people_with_role(role).empty())
            return true;
        for (const auto& a : assignments)
            if (a.role == role)
                return true;
        return false;
    }

private:
    template <class T>
    static const T* find_by_id(const std::vector<T>& items,
                               const std::unordered_map<std::string, std::size_t>& index,
                               std::string_view id) {
        if (!index.empty()) {
            auto it = index.find(std::string(id));
            if (it != index.end() && it->second < items.size() && items[it->second].id == id)
                return &items[it->second];
            if (it == index.end() && index.size() == items.size())
                return nullptr;
        }
        for (const auto& item : items)
            if (item.id == id)
                return &item;
        return nullptr;
    }
};

// The body a notice recipient names ("body:isu"), or null for a person.
inline const Body* body_recipient(const Directory& directory, std::string_view recipient) {
    if (!recipient.starts_with(kBodyRecipientPrefix))
        return nullptr;
    return directory.find_body(recipient.substr(kBodyRecipientPrefix.size()));
}

// The shapes of directory ids, shared by the directory file and the configuration.
// Person and system ids: ^[a-z0-9][a-z0-9._-]*$
bool valid_directory_id(std::string_view id);
// Role ids: ^[a-z][a-z0-9_]*$ (snake_case).
bool valid_role_id(std::string_view role);
// A plausible address: one '@', a non-empty local part, a dotted domain, no spaces.
bool plausible_email(std::string_view email);

} // namespace aarshjul
