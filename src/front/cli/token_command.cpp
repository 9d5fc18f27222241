// `flowline token`: prints the HTTP access token of a table's state directory (and the URL
// to open while it is served), or replaces it with --rotate, which locks out every browser
// and script holding the old one.
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include "front/app/table_home.hpp"
#include "front/cli/commands.hpp"
#include "front/http/access_token.hpp"

namespace flowline::cli {
namespace {

const char* kTokenHelp =
    "usage: flowline token [TABLE | --state-dir DIR] [--rotate]\n\n"
    "Prints the access token the HTTP API (flowline serve, --web) wants: send it as\n"
    "'Authorization: Bearer TOKEN', or open http://127.0.0.1:PORT/?token=TOKEN once in a\n"
    "browser. It is kept in STATE_DIR/http-token (mode 0600), so that bookmarks survive a\n"
    "restart.\n\n"
    "  TABLE            the table whose state directory to use (default .flowline/<name>)\n"
    "  --state-dir DIR  that state directory\n"
    "  neither          the only state directory under ./.flowline/\n"
    "  --rotate         replace the token: the old one stops working at once, also in a\n"
    "                   FlowLine serving now\n";

Result<std::string> state_dir_of(const std::optional<std::string>& table,
                                 const std::optional<std::string>& state_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string cwd = fs::current_path(ec).string();
  std::string dir;
  if (state_dir) {
    dir = *state_dir;
  } else if (table) {
    Result<std::string> canonical = canonical_table(*table, cwd);
    if (!canonical.ok()) return canonical.error();
    dir = cwd + "/.flowline/" + default_home_name(*canonical, cwd);
  } else {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(cwd + "/.flowline", ec))
      if (entry.is_directory()) found.push_back(entry.path().string());
    if (found.size() != 1)
      return Error{found.empty() ? "no state directory in ./.flowline: name the TABLE (or "
                                   "--state-dir DIR)"
                                 : "several state directories in ./.flowline: name the TABLE "
                                   "(or --state-dir DIR)"};
    dir = found.front();
  }
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return Error{"no state directory " + dir + " yet: `flowline serve` or `flowline run` "
                 "makes it (and the token) at its first start"};
  return dir;
}

}  // namespace

int token_main(const Args& args) {
  std::optional<std::string> table, state_dir;
  bool rotate = false;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      std::fputs(kTokenHelp, stdout);
      return kExitOk;
    }
    if (args[i] == "--rotate") rotate = true;
    else if (args[i] == "--state-dir" && i + 1 < args.size()) state_dir = args[++i];
    else if (args[i].rfind("--state-dir=", 0) == 0) state_dir = args[i].substr(12);
    else if (args[i].rfind("-", 0) != 0 && !table) table = args[i];
    else {
      std::fprintf(stderr, "flowline token: unexpected '%s' (see flowline token --help)\n",
                   args[i].c_str());
      return kExitBadInput;
    }
  }
  Result<std::string> dir = state_dir_of(table, state_dir);
  if (!dir.ok()) {
    std::fprintf(stderr, "flowline token: %s\n", dir.error().message.c_str());
    return kExitBadInput;
  }
  Result<std::string> token = rotate ? http::rotate_token(*dir) : http::load_or_create_token(*dir);
  if (!token.ok()) {
    std::fprintf(stderr, "flowline token: %s\n", token.error().message.c_str());
    return kExitFailed;
  }
  std::printf("%s\n", token->c_str());
  if (rotate)
    std::fprintf(stderr, "flowline token: replaced; the old token no longer works (open the "
                         "page again with ?token=<the new one>)\n");
  return kExitOk;
}

}  // namespace flowline::cli
