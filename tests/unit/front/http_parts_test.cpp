// The HTTP server's small parts: --web addresses, Host headers, token comparison and files,
// and the log-file lookups that must never leave the log directory.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "front/http/access_token.hpp"
#include "front/http/http_server.hpp"
#include "front/http/log_files.hpp"
#include "front/http/request_guard.hpp"
#include "support/temp_dir.hpp"

namespace flowline::http {
namespace {

using flowline::testing::TempDir;

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

TEST(WebAddress, PortAloneBindsLoopback) {
  auto a = parse_web_address("8080");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
}

TEST(WebAddress, AddressAndPortIncludingIpv6) {
  EXPECT_EQ(parse_web_address("0.0.0.0:0")->host, "0.0.0.0");
  EXPECT_EQ(parse_web_address("0.0.0.0:0")->port, 0);
  EXPECT_EQ(parse_web_address("[::1]:9000")->host, "::1");
  EXPECT_EQ(parse_web_address("[::1]:9000")->port, 9000);
}

TEST(WebAddress, NonsenseIsRefusedWithTheRightForm) {
  for (const char* bad : {"", "http", "80800", "-1", ":80", "host:", "[::1]80", "1.2.3.4:x"}) {
    auto a = parse_web_address(bad);
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_NE(a.error().message.find("[ADDR:]PORT"), std::string::npos) << a.error().message;
  }
}

TEST(HostHeader, PortAndBracketsAreDropped) {
  EXPECT_EQ(host_without_port("127.0.0.1:5000"), "127.0.0.1");
  EXPECT_EQ(host_without_port("LocalHost:80"), "localhost");
  EXPECT_EQ(host_without_port("[::1]:5000"), "::1");
  EXPECT_EQ(host_without_port("example.org"), "example.org");
}

TEST(Token, ComparisonNeedsEveryCharacter) {
  const std::string t(64, 'a');
  EXPECT_TRUE(same_token(t, t));
  EXPECT_FALSE(same_token(t, t.substr(0, 63)));
  EXPECT_FALSE(same_token(t, t + "a"));
  EXPECT_FALSE(same_token(t, std::string(63, 'a') + "b"));
  EXPECT_FALSE(same_token("", t));
}

TEST(Token, MadeOnceKeptPrivateAndReplacedByRotation) {
  TempDir dir;
  auto first = load_or_create_token(dir.path());
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->size(), 64u);
  struct stat st {};
  ASSERT_EQ(stat(token_path(dir.path()).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(*load_or_create_token(dir.path()), *first);
  auto rotated = rotate_token(dir.path());
  ASSERT_TRUE(rotated.ok());
  EXPECT_NE(*rotated, *first);
  EXPECT_EQ(*load_or_create_token(dir.path()), *rotated);
}

TEST(Token, AFileThatHoldsNoTokenIsReplacedAndLooseBitsTightened) {
  TempDir dir;
  write(token_path(dir.path()), "not a token\n");
  chmod(token_path(dir.path()).c_str(), 0644);
  auto token = load_or_create_token(dir.path());
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->size(), 64u);
  auto again = load_or_create_token(dir.path());
  EXPECT_EQ(*again, *token);
  chmod(token_path(dir.path()).c_str(), 0644);
  (void)load_or_create_token(dir.path());
  struct stat st {};
  stat(token_path(dir.path()).c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(TokenFile, SeesARotationWithoutARestart) {
  TempDir dir;
  TokenFile file(dir.path());
  ASSERT_TRUE(file.load().ok());
  const std::string before = file.current();
  auto rotated = rotate_token(dir.path());
  EXPECT_EQ(file.current(), *rotated);
  EXPECT_NE(file.current(), before);
}

TEST(LogFiles, OnlyRegularFilesDirectlyInTheLogDirectory) {
  TempDir dir;
  const std::string logs = dir.file("logs"), state = dir.file("state");
  std::filesystem::create_directories(logs + "/sub");
  std::filesystem::create_directories(state);
  write(logs + "/1-a.out", "x\n");
  write(logs + "/sub/2-b.out", "y\n");
  write(dir.file("secret"), "s\n");
  std::filesystem::create_symlink(dir.file("secret"), logs + "/link.out");
  write(state + "/flowline.log", "[t] [INFO] - hi\n");
  std::set<std::string> names;
  for (const LogFile& f : list_log_files(logs, state)) names.insert(f.name);
  EXPECT_EQ(names, (std::set<std::string>{"1-a.out", "flowline.log"}));
  EXPECT_TRUE(find_log_file("1-a.out", logs, state));
  EXPECT_EQ(find_log_file("flowline.log", logs, state)->path, state + "/flowline.log");
  for (const char* bad : {"link.out", "sub/2-b.out", "../secret", "/etc/passwd", "..", ".", "",
                          "sub"})
    EXPECT_FALSE(find_log_file(bad, logs, state)) << bad;
}

TEST(LogFiles, LastLinesReadsOnlyTheEnd) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "line " + std::to_string(i) + "\n";
  write(dir.file("f"), text);
  auto last = last_lines(dir.file("f"), 3, 1 << 20);
  EXPECT_EQ(last, (std::vector<std::string>{"line 997", "line 998", "line 999"}));
  // A byte limit that cuts a line in two drops the broken piece.
  auto tail = last_lines(dir.file("f"), 100, 20);
  EXPECT_EQ(tail, (std::vector<std::string>{"line 998", "line 999"}));
  EXPECT_TRUE(last_lines(dir.file("missing"), 3, 100).empty());
  write(dir.file("empty"), "");
  EXPECT_TRUE(last_lines(dir.file("empty"), 3, 100).empty());
}

TEST(LogFiles, SlicesFollowAGrowingFile) {
  TempDir dir;
  write(dir.file("f"), "hello ");
  auto a = read_slice(dir.file("f"), 0, 100);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->data, "hello ");
  std::ofstream(dir.file("f"), std::ios::app) << "world";
  auto b = read_slice(dir.file("f"), 6, 100);
  EXPECT_EQ(b->data, "world");
  EXPECT_EQ(b->size, 11);
  EXPECT_EQ(read_slice(dir.file("f"), 50, 10)->data, "");
  EXPECT_EQ(human_size(512), "512B");
  EXPECT_EQ(human_size(1536), "1.5KB");
}

}  // namespace
}  // namespace flowline::http
