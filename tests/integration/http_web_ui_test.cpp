// The web UI as the server sends it (issue 12): GET / is the bundled page (after the ?token=
// redirect), its scripts come gzipped to a browser that accepts gzip and as they are to one
// that does not, index.html is revalidated and the scripts, named by content hash, are kept;
// an unchanged file is a 304; FLOWLINE_WEB_DIR serves files from disk instead.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <regex>

#include "integration/support/served.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class HttpWebUiTest : public ::testing::Test {
 protected:
  RawResponse get(const std::string& target, const std::string& extra_headers = "") {
    return raw_http(served_.port(), "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                        "Cookie: flowline_token=" + served_.token() + "\r\n" +
                                        extra_headers + "Connection: close\r\n\r\n");
  }
  static std::string header(const RawResponse& r, const std::string& name) {
    std::smatch m;
    if (!std::regex_search(r.head, m, std::regex("\r\n" + name + ": ([^\r]*)", std::regex::icase)))
      return "";
    return m[1];
  }
  ServedFlowLine served_{"name,gpus\nhold,0\n"};
};

TEST_F(HttpWebUiTest, TheTokenedAddressLandsOnTheBundledPage) {
  served_.start();
  RawResponse redirect = raw_http(served_.port(), "GET /?token=" + served_.token() +
                                                      " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_EQ(redirect.status, 303);
  EXPECT_EQ(header(redirect, "Location"), "/");
  RawResponse page = get("/");
  ASSERT_EQ(page.status, 200) << page.head;
  EXPECT_THAT(header(page, "Content-Type"), StartsWith("text/html"));
  EXPECT_EQ(header(page, "Cache-Control"), "no-cache");
  EXPECT_THAT(page.body, HasSubstr("<div id=\"app\">"));
  EXPECT_TRUE(std::regex_search(page.body, std::regex(R"(<script src="/app\.js\?v=[0-9a-f]{16}")")))
      << page.body;
  EXPECT_THAT(page.body, HasSubstr("/app.css?v="));
  EXPECT_THAT(page.body, Not(HasSubstr("https://")));  // nothing from elsewhere: works offline
  // Without the token, nothing of the UI either.
  RawResponse anonymous = raw_http(served_.port(), "GET /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_EQ(anonymous.status, 401);
}

TEST_F(HttpWebUiTest, ScriptsComeGzippedToWhoAcceptsItCachedByContentHash) {
  served_.start();
  std::smatch m;
  const std::string index = get("/").body;
  ASSERT_TRUE(std::regex_search(index, m, std::regex(R"(/app\.js\?v=[0-9a-f]+)")));
  const std::string script = m[0];
  RawResponse gz = get(script, "Accept-Encoding: gzip, deflate\r\n");
  ASSERT_EQ(gz.status, 200) << gz.head;
  EXPECT_EQ(header(gz, "Content-Encoding"), "gzip");
  EXPECT_THAT(header(gz, "Content-Type"), StartsWith("text/javascript"));
  EXPECT_THAT(header(gz, "Cache-Control"), HasSubstr("immutable"));
  EXPECT_EQ(header(gz, "Vary"), "Accept-Encoding");
  ASSERT_GE(gz.body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(gz.body[0]), 0x1f);  // gzip's magic, once: not twice
  EXPECT_EQ(static_cast<unsigned char>(gz.body[1]), 0x8b);
  EXPECT_LT(gz.body.size(), 200u * 1024);  // the whole UI's budget
  RawResponse plain = get(script);
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(header(plain, "Content-Encoding"), "");
  EXPECT_GT(plain.body.size(), gz.body.size());
  EXPECT_THAT(plain.body.substr(0, 200), Not(HasSubstr("\x1f\x8b")));
  // The same file again: 304, no body.
  const std::string etag = header(plain, "ETag");
  ASSERT_FALSE(etag.empty());
  RawResponse again = get(script, "If-None-Match: " + etag + "\r\n");
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.body, "");
  // Asked for without its hash, it is revalidated each time.
  EXPECT_EQ(header(get("/app.js"), "Cache-Control"), "no-cache");
  RawResponse css = get("/app.css", "Accept-Encoding: gzip\r\n");
  EXPECT_EQ(css.status, 200);
  EXPECT_THAT(header(css, "Content-Type"), StartsWith("text/css"));
}

TEST_F(HttpWebUiTest, FlowlineWebDirServesTheFilesOnDisk) {
  const std::string dir = served_.dir().file("web-dev");
  std::filesystem::create_directories(dir);
  write_file(dir + "/index.html", "<p>the page being worked on</p>");
  write_file(dir + "/app.js", "console.log('dev');");
  setenv("FLOWLINE_WEB_DIR", dir.c_str(), 1);
  served_.start();
  unsetenv("FLOWLINE_WEB_DIR");
  RawResponse page = get("/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, "<p>the page being worked on</p>");
  EXPECT_EQ(header(page, "Cache-Control"), "no-store");
  EXPECT_EQ(get("/app.js").body, "console.log('dev');");
  EXPECT_EQ(get("/app.css").status, 404);  // not there: not the embedded one either
}

}  // namespace
}  // namespace flowline::testing
