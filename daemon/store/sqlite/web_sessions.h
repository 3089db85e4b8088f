// SPDX-License-Identifier: MPL-2.0
#pragma once
// SqliteWebSessions: the WebSessions in tables web_sessions and signin_links
// (migration 7). Thread rules: those of the Database.

#include "store/web_sessions.h"

namespace aarshjul {

class Database;

class SqliteWebSessions final : public WebSessions {
public:
    explicit SqliteWebSessions(Database& db) : m_db(db) {}

    Result<std::int64_t> insert_session(const std::string& cookie_sha256, const SessionRow& session,
                                        const std::string& remote) override;
    Result<std::optional<SessionRow>> find_session(const std::string& cookie_sha256) override;
    Result<void> touch_session(std::int64_t id, std::int64_t now) override;
    Result<void> end_session(std::int64_t id, std::int64_t now, const std::string& by) override;

    Result<void> insert_signin_link(const std::string& token_sha256, const std::string& person,
                                    const std::string& purpose, std::int64_t now,
                                    std::int64_t expires_at) override;
    Result<std::optional<SigninLink>> find_usable_signin_link(const std::string& token_sha256,
                                                              std::int64_t now) override;
    Result<std::optional<SigninLink>> consume_signin_link(const std::string& token_sha256,
                                                          std::int64_t now) override;

    Result<void> prune(std::int64_t now) override;

private:
    Database& m_db;
};

} // namespace aarshjul
