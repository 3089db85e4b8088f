// SPDX-License-Identifier: MPL-2.0
#include "notify/plugin_loader.h"
#include "plugins/server_process.h"
#include "support/temp_dir.h"

#include <boost/json.hpp>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace aarshjul {
namespace {

namespace fs = std::filesystem;
using testing::ServerProcess;

const fs::path k_smtp_plugin = AARSHJUL_BINARY_DIR "/plugins/aarshjul-smtp.so";
const std::string k_capture = AARSHJUL_TEST_DATA "/plugins/smtp_capture.py";

// Longer than one encoded-word, with æøå, so the subject must be split and folded.
const std::string k_subject =
    "Årshjul: risikovurdering af økonomisystemet skal være færdig før udvalgsmødet på fredag";

std::string with_crlf(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\n')
            out += '\r';
        out += c;
    }
    return out;
}

// Stops at the first bare LF or CR; npos when every line ends in CRLF.
size_t bare_line_break(const std::string& raw) {
    for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r'))
            return i;
        if (raw[i] == '\r' && (i + 1 == raw.size() || raw[i + 1] != '\n'))
            return i;
    }
    return std::string::npos;
}

std::vector<std::string> header_lines(const std::string& raw) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (true) {
        size_t end = raw.find("\r\n", start);
        if (end == std::string::npos || end == start)
            break;
        lines.push_back(raw.substr(start, end - start));
        start = end + 2;
    }
    return lines;
}

Notice make_notice(std::string key, std::string address) {
    Notice n;
    n.key = std::move(key);
    n.kind = "reminder";
    n.channel = "smtp";
    n.recipient = "soeren";
    n.name = "Søren Ærø";
    n.address = std::move(address);
    n.subject = k_subject;
    n.body = "Kære Søren,\n\nrisikovurderingen af <Økonomi> & løn forfalder 2025-03-01.\n"
             "Venlig hilsen\nÅrshjulet";
    return n;
}

class SmtpPluginTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_certs = std::make_unique<testing::TempDir>();
        s_cert = (s_certs->path() / "cert.pem").string();
        s_key = (s_certs->path() / "key.pem").string();
        int rc = testing::run_command({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                       "-keyout", s_key, "-out", s_cert, "-days", "2", "-subj",
                                       "/CN=localhost", "-addext",
                                       "subjectAltName=DNS:localhost,IP:127.0.0.1"});
        ASSERT_EQ(rc, 0) << "openssl req failed";
    }
    static void TearDownTestSuite() { s_certs.reset(); }

    void SetUp() override { fs::create_directories(m_maildir); }

    // Starts the capture server with extra options; the test fails when it cannot.
    void start_server(std::vector<std::string> options) {
        std::vector<std::string> argv{testing::python3(), k_capture, "--outdir",
                                      m_maildir.string()};
        argv.insert(argv.end(), options.begin(), options.end());
        std::string error;
        m_server = ServerProcess::start(argv, error);
        ASSERT_TRUE(m_server) << error;
    }

    std::map<std::string, std::string> base_config(std::string tls) const {
        return {{"host", "127.0.0.1"},
                {"port", std::to_string(m_server ? m_server->port() : testing::unused_port())},
                {"tls", std::move(tls)},
                {"from", "aarshjul@kommune.example.dk"},
                {"from_name", "Årshjul"},
                {"domain", "kommune.example.dk"},
                {"ca_file", s_cert},
                {"timeout_seconds", "10"}};
    }

    std::unique_ptr<Notifier> load(const std::map<std::string, std::string>& config) {
        auto loaded = load_plugin(k_smtp_plugin, config, [](PluginLogLevel, std::string_view) {});
        EXPECT_TRUE(loaded.ok()) << loaded.error().to_string();
        return loaded.ok() ? std::move(loaded.value()) : nullptr;
    }

    size_t delivered() const {
        size_t n = 0;
        for (const auto& entry : fs::directory_iterator(m_maildir))
            n += entry.path().extension() == ".json";
        return n;
    }
    std::string raw(int n) const {
        return testing::read_file(m_maildir / (std::to_string(n) + ".eml"));
    }
    boost::json::object summary(int n) const {
        auto text = testing::read_file(m_maildir / (std::to_string(n) + ".json"));
        boost::system::error_code ec;
        auto value = boost::json::parse(text, ec);
        EXPECT_FALSE(ec) << "message " << n << " was not captured";
        return ec ? boost::json::object{} : value.as_object();
    }

    static inline std::unique_ptr<testing::TempDir> s_certs;
    static inline std::string s_cert;
    static inline std::string s_key;
    testing::TempDir m_dir;
    fs::path m_maildir = m_dir.path() / "mail";
    std::unique_ptr<ServerProcess> m_server;
};

// Over STARTTLS with AUTH, a notice arrives as a CRLF-only multipart/alternative
// message whose RFC 2047 subject and names decode back to the æøå originals.
TEST_F(SmtpPluginTest, StartTlsDeliversWellFormedMultipartMessage) {
    start_server({"--starttls", s_cert, s_key, "--auth", "aarshjul:hemmeligt ord"});
    auto password = m_dir.write("password", "hemmeligt ord\n");
    auto config = base_config("starttls");
    config["username"] = "aarshjul";
    config["password_file"] = password.string();
    auto notifier = load(config);
    ASSERT_TRUE(notifier);

    Notice notice = make_notice("risk:economy:2025-03-01:reminder", "soeren@kommune.example.dk");
    auto result = notifier->send(notice);
    ASSERT_EQ(result.outcome, SendOutcome::Sent) << result.error;
    ASSERT_EQ(delivered(), 1u);

    auto s = summary(1);
    EXPECT_TRUE(s["tls"].as_bool());
    EXPECT_TRUE(s["authenticated"].as_bool());
    EXPECT_EQ(s["mail_from"].as_string(), "aarshjul@kommune.example.dk");
    EXPECT_EQ(s["rcpt_tos"].as_array().at(0).as_string(), "soeren@kommune.example.dk");
    EXPECT_EQ(s["subject"].as_string(), k_subject);
    EXPECT_EQ(s["to"].as_string(), "Søren Ærø <soeren@kommune.example.dk>");
    EXPECT_EQ(s["from"].as_string(), "Årshjul <aarshjul@kommune.example.dk>");
    EXPECT_EQ(s["mime_version"].as_string(), "1.0");
    EXPECT_FALSE(s["date"].is_null());
    EXPECT_EQ(s["message_id"].as_string(),
              "<risk=3Aeconomy=3A2025-03-01=3Areminder@kommune.example.dk>");
    EXPECT_EQ(s["content_type"].as_string(), "multipart/alternative");
    auto& parts = s["parts"].as_array();
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].at("content_type").as_string(), "text/plain");
    EXPECT_EQ(parts[0].at("charset").as_string(), "utf-8");
    EXPECT_EQ(parts[0].at("text").as_string(), with_crlf(notice.body));
    EXPECT_EQ(parts[1].at("content_type").as_string(), "text/html");
    std::string html(parts[1].at("text").as_string());
    EXPECT_NE(html.find("&lt;Økonomi&gt; &amp; løn"), std::string::npos) << html;

    std::string message = raw(1);
    EXPECT_EQ(bare_line_break(message), std::string::npos);
    auto headers = header_lines(message);
    for (const auto& name : {"Date: ", "From: ", "To: ", "Subject: ", "Message-ID: ",
                             "MIME-Version: 1.0", "Content-Type: multipart/alternative"}) {
        bool found = false;
        for (const auto& line : headers)
            found = found || line.rfind(name, 0) == 0;
        EXPECT_TRUE(found) << "no header " << name;
    }
    // The subject is folded into several encoded-words, none over 75 characters, no line over 76.
    int subject_lines = 0;
    bool in_subject = false;
    for (const auto& line : headers) {
        if (line.rfind("Subject: ", 0) == 0)
            in_subject = true;
        else if (line.empty() || (line[0] != ' ' && line[0] != '\t'))
            in_subject = false;
        if (!in_subject)
            continue;
        ++subject_lines;
        EXPECT_LE(line.size(), 76u) << line;
        size_t word = line.find("=?UTF-8?B?");
        ASSERT_NE(word, std::string::npos) << line;
        EXPECT_LE(line.size() - word, 75u) << line;
    }
    EXPECT_GE(subject_lines, 2);
}

// A retried notice carries the same Message-ID; another key gets another one.
TEST_F(SmtpPluginTest, MessageIdIsStableAcrossRetries) {
    start_server({});
    auto notifier = load(base_config("none"));
    ASSERT_TRUE(notifier);
    Notice notice = make_notice("wf/system 7:2025-03-01 <x>", "a@example.org");
    ASSERT_EQ(notifier->send(notice).outcome, SendOutcome::Sent);
    ASSERT_EQ(notifier->send(notice).outcome, SendOutcome::Sent);
    notice.key = "wf/system 7:2025-03-02 <x>";
    ASSERT_EQ(notifier->send(notice).outcome, SendOutcome::Sent);
    ASSERT_EQ(delivered(), 3u);
    auto first = std::string(summary(1)["message_id"].as_string());
    EXPECT_EQ(first, "<wf=2Fsystem=207=3A2025-03-01=20=3Cx=3E@kommune.example.dk>");
    EXPECT_EQ(summary(2)["message_id"].as_string(), first);
    EXPECT_NE(summary(3)["message_id"].as_string(), first);
}

// A 200 KiB body with LF line ends arrives byte for byte (as CRLF) in the text part.
TEST_F(SmtpPluginTest, LargeBodyArrivesIntact) {
    start_server({});
    auto notifier = load(base_config("none"));
    ASSERT_TRUE(notifier);
    Notice notice = make_notice("large", "a@example.org");
    notice.body.clear();
    for (int i = 0; notice.body.size() < 200 * 1024; ++i)
        notice.body += "Linje " + std::to_string(i) + ": æøå ÆØÅ .punktum og mere tekst\n";
    notice.body += ".\n..begynder med punktum";
    auto result = notifier->send(notice);
    ASSERT_EQ(result.outcome, SendOutcome::Sent) << result.error;
    auto s = summary(1);
    EXPECT_EQ(s["parts"].as_array().at(0).at("text").as_string(), with_crlf(notice.body));
    EXPECT_EQ(bare_line_break(raw(1)), std::string::npos);
}

// Implicit TLS (smtps) delivers over an encrypted connection.
TEST_F(SmtpPluginTest, ImplicitTlsDelivers) {
    start_server({"--implicit", s_cert, s_key});
    auto notifier = load(base_config("implicit"));
    ASSERT_TRUE(notifier);
    auto result = notifier->send(make_notice("implicit", "a@example.org"));
    ASSERT_EQ(result.outcome, SendOutcome::Sent) << result.error;
    EXPECT_TRUE(summary(1)["tls"].as_bool());
}

// SMTP replies map to outcomes: 550 permanent, 451 temporary; one bad recipient
// does not stop the next message on the same instance.
TEST_F(SmtpPluginTest, ReplyCodesMapToOutcomes) {
    start_server({"--reject", "gone@example.org", "--defer", "busy@example.org"});
    auto notifier = load(base_config("none"));
    ASSERT_TRUE(notifier);

    auto rejected = notifier->send(make_notice("k1", "gone@example.org"));
    EXPECT_EQ(rejected.outcome, SendOutcome::PermanentFailure);
    EXPECT_NE(rejected.error.find("550"), std::string::npos) << rejected.error;

    auto deferred = notifier->send(make_notice("k2", "busy@example.org"));
    EXPECT_EQ(deferred.outcome, SendOutcome::TemporaryFailure);
    EXPECT_NE(deferred.error.find("451"), std::string::npos) << deferred.error;

    auto fine = notifier->send(make_notice("k3", "fine@example.org"));
    EXPECT_EQ(fine.outcome, SendOutcome::Sent) << fine.error;
    EXPECT_EQ(delivered(), 1u);
}

// Wrong credentials are a permanent failure (535), and nothing is delivered.
TEST_F(SmtpPluginTest, WrongPasswordIsPermanent) {
    start_server({"--starttls", s_cert, s_key, "--auth", "aarshjul:right"});
    auto config = base_config("starttls");
    config["username"] = "aarshjul";
    config["password_env"] = "AARSHJUL_TEST_SMTP_PASSWORD";
    setenv("AARSHJUL_TEST_SMTP_PASSWORD", "wrong", 1);
    auto notifier = load(config);
    ASSERT_TRUE(notifier);
    auto result = notifier->send(make_notice("k", "a@example.org"));
    EXPECT_EQ(result.outcome, SendOutcome::PermanentFailure) << result.error;
    EXPECT_EQ(result.error.find("wrong"), std::string::npos) << "password leaked: " << result.error;
    EXPECT_EQ(delivered(), 0u);
}

// With no server listening, a send is a temporary failure.
TEST_F(SmtpPluginTest, ServerDownIsTemporary) {
    auto notifier = load(base_config("none"));
    ASSERT_TRUE(notifier);
    auto result = notifier->send(make_notice("k", "a@example.org"));
    EXPECT_EQ(result.outcome, SendOutcome::TemporaryFailure) << result.error;
}

// tls = starttls against a server that offers no STARTTLS fails closed:
// permanent, and no message is handed over in plain text.
TEST_F(SmtpPluginTest, StartTlsNotOfferedFailsClosed) {
    start_server({});
    auto notifier = load(base_config("starttls"));
    ASSERT_TRUE(notifier);
    auto result = notifier->send(make_notice("k", "a@example.org"));
    EXPECT_EQ(result.outcome, SendOutcome::PermanentFailure);
    EXPECT_NE(result.error.find("STARTTLS"), std::string::npos) << result.error;
    EXPECT_EQ(delivered(), 0u);
}

// A notice whose address is not a plain e-mail address fails permanently without a connection.
TEST_F(SmtpPluginTest, UnusableAddressIsPermanent) {
    auto notifier = load(base_config("none"));
    ASSERT_TRUE(notifier);
    for (std::string address : {"", "no-at-sign", "a@b\r\nRCPT TO:<x@y>", "<a@b>"}) {
        auto result = notifier->send(make_notice("k", address));
        EXPECT_EQ(result.outcome, SendOutcome::PermanentFailure) << address;
    }
}

// tls = "none" is accepted only for loopback hosts; create refuses any other.
TEST_F(SmtpPluginTest, PlainTextOnlyForLoopbackHosts) {
    struct Case {
        std::string host;
        bool allowed;
    };
    const Case cases[] = {
        {.host = "127.0.0.1", .allowed = true},
        {.host = "127.10.20.30", .allowed = true},
        {.host = "::1", .allowed = true},
        {.host = "localhost", .allowed = true},
        {.host = "10.0.0.1", .allowed = false},
        {.host = "128.0.0.1", .allowed = false},
        {.host = "mail.example.dk", .allowed = false},
        {.host = "::2", .allowed = false},
    };
    for (const auto& c : cases) {
        auto config = base_config("none");
        config["host"] = c.host;
        auto loaded = load_plugin(k_smtp_plugin, config, [](PluginLogLevel, std::string_view) {});
        EXPECT_EQ(loaded.ok(), c.allowed) << c.host;
        if (!loaded.ok()) {
            EXPECT_NE(loaded.error().message.find("loopback"), std::string::npos)
                << loaded.error().message;
        }
    }
}

// Bad settings are refused at create with a message naming the key.
TEST_F(SmtpPluginTest, BadConfigurationIsRefusedAtCreate) {
    struct Case {
        std::string key;
        std::string value;
        std::string mentions;
    };
    const Case cases[] = {
        {.key = "host", .value = "", .mentions = "host"},
        {.key = "tls", .value = "maybe", .mentions = "tls"},
        {.key = "port", .value = "70000", .mentions = "port"},
        {.key = "from", .value = "not an address", .mentions = "from"},
        {.key = "password_file", .value = "/nonexistent/pw", .mentions = "password_file"},
        {.key = "timeout_seconds", .value = "0", .mentions = "timeout_seconds"},
    };
    for (const auto& c : cases) {
        auto config = base_config("starttls");
        config["username"] = "u";
        config[c.key] = c.value;
        auto loaded = load_plugin(k_smtp_plugin, config, [](PluginLogLevel, std::string_view) {});
        ASSERT_FALSE(loaded.ok()) << c.key;
        EXPECT_NE(loaded.error().message.find(c.mentions), std::string::npos)
            << loaded.error().message;
    }
}

} // namespace
} // namespace aarshjul
