#pragma once
// Directory: the people and systems an organisation registers.
//
// Loaded from a TOML file (config/directory.toml) and immutable once loaded;
// share it as `std::shared_ptr<const Directory>`.

#include <string>
#include <string_view>
#include <vector>

namespace aarshjul {

struct Person {
    std::string id;
    std::string name;
    std::string email;
    std::vector<std::string> roles; // "coordinator", "top_security_owner", ...
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

struct Directory {
    std::vector<Person> people;
    std::vector<System> systems;
    std::string file; // where it was loaded from

    const Person* find_person(std::string_view id) const {
        for (const auto& p : people)
            if (p.id == id)
                return &p;
        return nullptr;
    }
    const System* find_system(std::string_view id) const {
        for (const auto& s : systems)
            if (s.id == id)
                return &s;
        return nullptr;
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
        return role == kRoleSystemOwner || role == kRoleSystemResponsible ||
               !people_with_role(role).empty();
    }
};

} // namespace aarshjul
