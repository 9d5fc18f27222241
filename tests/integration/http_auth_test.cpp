// Who may use the HTTP API of a real `flowline serve` (issue 11, step 3): the token (bearer,
// cookie, ?token=), its rotation, the Host and Origin checks, log names that must not escape
// the log directory, and request bodies too large or malformed. Everything through a real
// server on a free port, with real HTTP clients.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "integration/support/served.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class HttpAuthTest : public ::testing::Test {
 protected:
  void SetUp() override { served_.start(); }
  ServedFlowLine served_{"name,gpus\nhold,0\n"};
};

TEST_F(HttpAuthTest, EveryRouteButHealthzWantsTheToken) {
  auto anon = served_.anonymous();
  for (const char* path : {"/api/gpus", "/api/task/list", "/api/process", "/api/log/list",
                           "/api/system/info", "/api/v1/status", "/api/v1/tasks", "/metrics",
                           "/api/v1/events", "/"}) {
    auto res = anon->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 401) << path;
    EXPECT_THAT(res->body, HasSubstr("access token")) << path;
  }
  auto post = anon->Post("/api/run", "", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 401);
  EXPECT_EQ(served_.get_json("/api/v1/settings")["dispatching"], true);  // nothing toggled
  auto health = anon->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, R"({"status":"ok"})");
}

TEST_F(HttpAuthTest, AWrongTokenIsRefused) {
  auto c = served_.anonymous();
  c->set_bearer_token_auth(std::string(64, 'a'));
  auto res = c->Get("/api/gpus");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_THAT(res->body, HasSubstr("wrong or outdated"));
  c->set_bearer_token_auth(served_.token().substr(0, 63));  // a prefix is not the token
  EXPECT_EQ(c->Get("/api/gpus")->status, 401);
  EXPECT_EQ(served_.client()->Get("/api/gpus")->status, 200);
}

TEST_F(HttpAuthTest, ARotatedOutTokenStopsWorkingAtOnceAndTheNewOneWorks) {
  const std::string old = served_.token();
  Outcome rotated = run_flowline({"token", "--rotate", "--state-dir", served_.state_dir()},
                                 served_.dir().path());
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  const std::string fresh = rotated.out.substr(0, 64);
  ASSERT_NE(fresh, old);
  auto c = served_.anonymous();
  c->set_bearer_token_auth(old);
  EXPECT_EQ(c->Get("/api/gpus")->status, 401);
  c->set_bearer_token_auth(fresh);
  EXPECT_EQ(c->Get("/api/gpus")->status, 200);
  // The file stays private, and `flowline token` prints the token in force.
  struct stat st {};
  ASSERT_EQ(stat((served_.state_dir() + "/http-token").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Outcome shown = run_flowline({"token", "--state-dir", served_.state_dir()}, served_.dir().path());
  EXPECT_EQ(shown.out, fresh + "\n");
}

TEST_F(HttpAuthTest, TheTokenIsKeptAcrossARestartSoABookmarkStillWorks) {
  const std::string before = served_.token();
  served_.stop();
  served_.start();
  EXPECT_EQ(served_.token(), before);
}

TEST_F(HttpAuthTest, APageOpenedWithTheTokenGetsAStrictHttpOnlyCookieAndAClearAddress) {
  auto anon = served_.anonymous();
  auto res = anon->Get("/?token=" + served_.token());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 303);
  EXPECT_EQ(res->get_header_value("Location"), "/");
  const std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_THAT(cookie, HasSubstr("flowline_token=" + served_.token()));
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("SameSite=Strict"));
  auto with_cookie =
      anon->Get("/api/v1/status", {{"Cookie", "flowline_token=" + served_.token()}});
  ASSERT_TRUE(with_cookie);
  EXPECT_EQ(with_cookie->status, 200);
  EXPECT_EQ(anon->Get("/", {{"Cookie", "flowline_token=" + served_.token()}})->status, 200);
  // No CORS: nothing invites another site's scripts to read the answers.
  EXPECT_FALSE(with_cookie->has_header("Access-Control-Allow-Origin"));
  EXPECT_EQ(with_cookie->get_header_value("Referrer-Policy"), "no-referrer");
}

TEST_F(HttpAuthTest, ASpoofedHostOrAForeignOriginIsRefusedEvenWithTheToken) {
  auto c = served_.client();
  auto rebinding = c->Get("/api/gpus", {{"Host", "attacker.example:" + std::to_string(served_.port())}});
  ASSERT_TRUE(rebinding);
  EXPECT_EQ(rebinding->status, 403);
  EXPECT_THAT(rebinding->body, HasSubstr("Host header"));
  EXPECT_EQ(c->Get("/api/gpus", {{"Host", "localhost:" + std::to_string(served_.port())}})->status,
            200);
  auto foreign = c->Post("/api/run", {{"Origin", "http://attacker.example"}}, "", "application/json");
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 403);
  EXPECT_EQ(served_.get_json("/api/v1/settings")["dispatching"], true);  // not toggled
  // A request without any Host at all (HTTP/1.0 style) is refused too.
  RawResponse bare = raw_http(served_.port(), "GET /api/gpus HTTP/1.0\r\nAuthorization: Bearer " +
                                                  served_.token() + "\r\n\r\n");
  EXPECT_EQ(bare.status, 403) << bare.head;
}

// Log names resolve only to files FlowLine wrote in its log directory.
TEST_F(HttpAuthTest, LogNamesCannotEscapeTheLogDirectory) {
  write_file(served_.dir().file("secret.txt"), "TOP-SECRET\n");
  ASSERT_TRUE(wait_until([&] { return file_exists(served_.dir().file("started-0")); }));
  std::filesystem::create_symlink(served_.dir().file("secret.txt"),
                                  served_.log_dir() + "/planted.out");
  const std::string auth = "Authorization: Bearer " + served_.token() + "\r\n";
  const std::string host = "Host: 127.0.0.1\r\n";
  for (const std::string& target : std::vector<std::string>{
           "/api/log/..%2Fsecret.txt", "/api/log/..%252Fsecret.txt", "/api/log/%2E%2E%2Fsecret.txt",
        "/api/log/../secret.txt", "/api/log/%2F" + served_.dir().file("secret.txt").substr(1),
        "/api/log/planted.out", "/api/log/.", "/api/log/%00secret.txt"}) {
    RawResponse r = raw_http(served_.port(), "GET " + target + " HTTP/1.1\r\n" + host + auth +
                                                 "Connection: close\r\n\r\n");
    EXPECT_TRUE(r.status == 404 || r.status == 400) << target << " -> " << r.head;
    EXPECT_THAT(r.body, Not(HasSubstr("TOP-SECRET"))) << target;
  }
  nlohmann::json listed = served_.get_json("/api/log/list");
  EXPECT_THAT(listed.dump(), Not(HasSubstr("planted.out")));
  EXPECT_THAT(listed.dump(), HasSubstr(".out"));  // the run's own log is there
}

TEST_F(HttpAuthTest, OversizedAndMalformedBodiesAreRefusedAndChangeNothing) {
  auto c = served_.client();
  const std::string huge = "{\"name\": \"" + std::string(2 << 20, 'x') + "\"}";
  auto big = c->Post("/api/task/create", huge, "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  for (const std::string body :
       std::vector<std::string>{"", "{", "[1,2]", "\"text\"", "{\"name\": {\"nested\": 1}}"}) {
    auto res = c->Post("/api/v1/tasks", body, "application/json");
    ASSERT_TRUE(res) << body;
    EXPECT_EQ(res->status, 400) << body;
    EXPECT_TRUE(nlohmann::json::parse(res->body).contains("error")) << res->body;
  }
  EXPECT_EQ(read_file(served_.dir().file("todo.csv")), "name,gpus\nhold,0\n");
  // A header line longer than the server takes.
  RawResponse r = raw_http(served_.port(), "GET /api/gpus HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Big: " +
                                               std::string(64 << 10, 'y') + "\r\n\r\n");
  EXPECT_TRUE(r.status == 0 || r.status >= 400) << r.head;
  EXPECT_EQ(served_.client()->Get("/healthz")->status, 200);  // and it still serves
}

}  // namespace
}  // namespace flowline::testing
