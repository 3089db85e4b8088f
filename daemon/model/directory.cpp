// SPDX-License-Identifier: MPL-2.0
#include "model/directory.h"

#include <algorithm>

namespace aarshjul {

namespace {

bool is_lower_or_digit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
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

} // namespace aarshjul
