// Runs the real `flowline check` binary on real files in a temp dir.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

struct Outcome {
  bool exited = false;  // false: killed by a signal (a crash)
  int status = -1;      // exit status when exited, else the signal number
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "flowline-check-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path write(const std::string& name, const std::string& content) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  // Runs `program args...` with stdout and stderr captured in files (no pipe deadlocks).
  Outcome run(const std::string& program, const std::vector<std::string>& args) {
    const std::string out_path = (dir_ / "stdout.txt").string();
    const std::string err_path = (dir_ / "stderr.txt").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    Outcome outcome;
    if (rc != 0) {
      ADD_FAILURE() << "posix_spawn " << program << ": " << rc;
      return outcome;
    }
    int wstatus = 0;
    if (waitpid(pid, &wstatus, 0) != pid) {
      ADD_FAILURE() << "waitpid failed";
      return outcome;
    }
    outcome.exited = WIFEXITED(wstatus);
    outcome.status = outcome.exited ? WEXITSTATUS(wstatus) : WTERMSIG(wstatus);
    outcome.out = slurp(out_path);
    outcome.err = slurp(err_path);
    return outcome;
  }

  Outcome check(const std::vector<std::string>& args) { return run(FLOWLINE_EXE, args); }

  // `flowline check --json` on a table, parsed keeping key order.
  nlohmann::ordered_json check_json(const fs::path& table, const std::string& tmpl = "") {
    std::vector<std::string> args = {"check", table.string(), "--json"};
    if (!tmpl.empty()) args.insert(args.end(), {"--cmd", tmpl});
    const Outcome o = check(args);
    EXPECT_TRUE(o.exited && o.status == 0) << o.err;
    auto parsed = nlohmann::ordered_json::parse(o.out, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << o.out;
    return parsed;
  }

  fs::path dir_;
};

TEST_F(CheckTest, JsonHasExactlyTheDocumentedKeys) {
  const auto table = write("todo.csv",
                           "name,lr,cmd,gpus,timeout,min_mem\n"
                           "first,0.001,python train.py,2,90,\n"
                           ",0.01,python train.py,1,1.5,8000\n");
  const auto tasks = check_json(table);
  ASSERT_TRUE(tasks.is_array());
  ASSERT_EQ(tasks.size(), 2u);
  std::vector<std::string> keys;
  for (const auto& item : tasks[0].items()) keys.push_back(item.key());
  EXPECT_THAT(keys, ::testing::ElementsAre("task_id", "name", "run_num", "need_run_num", "gpus",
                                           "min_mem", "priority", "timeout", "params", "command"));
  EXPECT_EQ(tasks[0]["task_id"], 0);
  EXPECT_EQ(tasks[0]["name"], "first");
  EXPECT_EQ(tasks[0]["run_num"], 0);
  EXPECT_EQ(tasks[0]["need_run_num"], 1);
  EXPECT_EQ(tasks[0]["gpus"], 2);
  EXPECT_TRUE(tasks[0]["min_mem"].is_null());
  EXPECT_EQ(tasks[0]["priority"], 0);
  EXPECT_EQ(tasks[0]["timeout"], 90);
  EXPECT_EQ(tasks[0]["command"], "python train.py --lr 0.001");
  EXPECT_EQ(tasks[1]["task_id"], 1);
  EXPECT_EQ(tasks[1]["name"], "Task:1");
  EXPECT_EQ(tasks[1]["min_mem"], 8000);
  EXPECT_DOUBLE_EQ(tasks[1]["timeout"].get<double>(), 1.5);
  EXPECT_EQ(tasks[1]["params"], nlohmann::ordered_json({{"lr", "0.01"}}));
}

TEST_F(CheckTest, TimeoutIsNullWhenUnset) {
  const auto tasks = check_json(write("t.csv", "lr\n1\n"));
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_TRUE(tasks[0]["timeout"].is_null());
  EXPECT_EQ(tasks[0]["command"], "--lr 1");
}

TEST_F(CheckTest, ParamsKeepColumnOrderAndTextValues) {
  const auto tasks = check_json(write("order.csv", "zeta,alpha,need_run_num,mid\n1e-05,,3,007\n"));
  ASSERT_EQ(tasks.size(), 1u);
  std::vector<std::string> keys;
  for (const auto& item : tasks[0]["params"].items()) keys.push_back(item.key());
  EXPECT_THAT(keys, ::testing::ElementsAre("zeta", "alpha", "mid"));
  EXPECT_EQ(tasks[0]["params"]["zeta"], "1e-05");
  EXPECT_EQ(tasks[0]["params"]["alpha"], "");
  EXPECT_EQ(tasks[0]["params"]["mid"], "007");
  EXPECT_EQ(tasks[0]["command"], "--zeta 1e-05 --mid 007");
}

TEST_F(CheckTest, QuotedValuesSurviveTheShell) {
  // The expanded command is run by a real /bin/sh: every value must arrive as one argument.
  const auto tasks =
      check_json(write("q.csv", "note,model\n\"it's a \"\"big\"\" one; $HOME *\",resnet 50\n"),
                 "printf '%s\\n' {note} {model} {name}");
  ASSERT_EQ(tasks.size(), 1u);
  const std::string command = tasks[0]["command"];
  const Outcome shell = run("/bin/sh", {"-c", command});
  ASSERT_TRUE(shell.exited && shell.status == 0) << command << "\n" << shell.err;
  EXPECT_EQ(shell.out, "it's a \"big\" one; $HOME *\nresnet 50\nTask:0\n");
}

TEST_F(CheckTest, GpuPlaceholdersShowAsManyGpusAsTheTaskAsks) {
  const auto tasks = check_json(write("g.csv", "gpus,lr\n2,1\n0,2\n3,3\n"),
                                "CUDA_VISIBLE_DEVICES={gpus} run --first {gpu}");
  ASSERT_EQ(tasks.size(), 3u);
  EXPECT_EQ(tasks[0]["command"], "CUDA_VISIBLE_DEVICES=0,1 run --first 0");
  EXPECT_EQ(tasks[1]["command"], "CUDA_VISIBLE_DEVICES='' run --first ''");
  EXPECT_EQ(tasks[2]["command"], "CUDA_VISIBLE_DEVICES=0,1,2 run --first 0");
}

TEST_F(CheckTest, XlsxWrittenByOpenpyxlGivesNumbersAsWritten) {
  // A real spreadsheet: numeric cells for gpus/need_run_num/lr, a blank min_mem, a text cell.
  const fs::path xlsx = dir_ / "grid.xlsx";
  const Outcome made = run("/usr/bin/python3",
                           {"-c",
                            "import openpyxl, sys\n"
                            "wb = openpyxl.Workbook(); ws = wb.active\n"
                            "ws.append(['name', 'gpus', 'need_run_num', 'lr', 'min_mem', 'note'])\n"
                            "ws.append(['big one', 2, 3, 1e-05, None, 'a b'])\n"
                            "ws.append(['cpu', 0, 1, 0.5, 4096, None])\n"
                            "wb.save(sys.argv[1])\n",
                            xlsx.string()});
  ASSERT_TRUE(made.exited && made.status == 0) << "openpyxl (python3-openpyxl): " << made.err;
  const auto tasks = check_json(xlsx, "run {args} --gpus {gpus} --tag {name}");
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0]["gpus"], 2);
  EXPECT_EQ(tasks[0]["need_run_num"], 3);
  EXPECT_TRUE(tasks[0]["min_mem"].is_null());
  EXPECT_EQ(tasks[0]["params"]["lr"], "1e-05");
  EXPECT_EQ(tasks[0]["command"], "run --lr 1e-05 --note 'a b' --gpus 0,1 --tag 'big one'");
  EXPECT_EQ(tasks[1]["min_mem"], 4096);
  EXPECT_EQ(tasks[1]["command"], "run --lr 0.5 --gpus '' --tag cpu");
}

TEST_F(CheckTest, HumanOutputShowsEveryTaskAndCommand) {
  const auto table =
      write("h.csv", "name,cmd,gpus,lr\nalpha,python a.py,1,0.1\nbeta,python b.py,0,0.2\n");
  const Outcome o = check({"check", table.string()});
  ASSERT_TRUE(o.exited && o.status == 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("2 tasks, valid"));
  EXPECT_THAT(o.out, HasSubstr("#0  alpha"));
  EXPECT_THAT(o.out, HasSubstr("$ python a.py --lr 0.1"));
  EXPECT_THAT(o.out, HasSubstr("#1  beta"));
  EXPECT_THAT(o.out, HasSubstr("gpus 0 (CPU only)"));
  EXPECT_THAT(o.out, HasSubstr("$ python b.py --lr 0.2"));
  EXPECT_EQ(o.err, "");
}

TEST_F(CheckTest, BadReservedValueExitsTwoNamingFileRowColumn) {
  const auto table = write("bad.csv", "lr,gpus,min_mem\n0.1,1,100\n0.2,two,abc\n");
  const Outcome o = check({"check", table.string()});
  ASSERT_TRUE(o.exited);
  EXPECT_EQ(o.status, 2);
  EXPECT_THAT(o.err, HasSubstr("bad.csv:3:2: column 'gpus'"));
  EXPECT_THAT(o.err, HasSubstr("bad.csv:3:3: column 'min_mem': expected a whole number of MiB "
                               "≥ 0 or auto, got 'abc'"));
  EXPECT_EQ(o.out, "");
}

TEST_F(CheckTest, UnknownPlaceholderIsRefusedWithItsPosition) {
  const auto table = write("t.csv", "model\nresnet\n");
  const Outcome o = check({"check", table.string(), "--cmd", "python {modle} x"});
  ASSERT_TRUE(o.exited);
  EXPECT_EQ(o.status, 2);
  EXPECT_THAT(o.err, HasSubstr("column 8: unknown placeholder '{modle}'"));
  EXPECT_THAT(o.err, HasSubstr("  python {modle} x\n         ^"));
}

TEST_F(CheckTest, BadTableAndBadTemplateAreReportedTogether) {
  const auto table = write("both.csv", "lr,priority\n1,high\n");
  const Outcome o = check({"check", table.string(), "--cmd", "run {args} {nope}"});
  ASSERT_TRUE(o.exited);
  EXPECT_EQ(o.status, 2);
  EXPECT_THAT(o.err, HasSubstr("both.csv:2:2: column 'priority'"));
  EXPECT_THAT(o.err, HasSubstr("column 12: unknown placeholder '{nope}'"));
}

TEST_F(CheckTest, BadOptionsExitTwoWithUsage) {
  const auto table = write("t.csv", "a\n1\n");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"check"},
                                               {"check", table.string(), "--bogus"},
                                               {"check", table.string(), "--cmd"},
                                               {"check", table.string(), table.string()}}) {
    const Outcome o = check(args);
    ASSERT_TRUE(o.exited);
    EXPECT_EQ(o.status, 2) << args.back();
    EXPECT_THAT(o.err, HasSubstr("usage: flowline check TABLE [--cmd TEMPLATE | --cmd-builder PROGRAM] [--json]"));
  }
  EXPECT_THAT(check({"check", table.string(), "--cmd"}).err,
              HasSubstr("option '--cmd' needs a value"));
}

TEST_F(CheckTest, MissingFileExitsTwo) {
  const Outcome o = check({"check", (dir_ / "nope.csv").string()});
  ASSERT_TRUE(o.exited);
  EXPECT_EQ(o.status, 2);
  EXPECT_THAT(o.err, HasSubstr("nope.csv"));
}

TEST_F(CheckTest, HelpTeachesTheTemplateLanguage) {
  const Outcome o = check({"check", "--help"});
  ASSERT_TRUE(o.exited);
  EXPECT_EQ(o.status, 0);
  EXPECT_THAT(o.out, HasSubstr("usage: flowline check TABLE"));
  EXPECT_THAT(o.out, HasSubstr("{args}"));
  EXPECT_THAT(o.out, HasSubstr("{gpus}"));
  EXPECT_THAT(o.out, HasSubstr("examples:"));
}

// Every file of the malformed corpus must be refused with exit 2 and a message naming the
// place, without crashing. EXPECTED.tsv lists `filename<TAB>expected substring[<TAB>check]`.
TEST_F(CheckTest, MalformedCorpusIsRefusedWithoutCrashing) {
  const fs::path corpus = fs::path(FLOWLINE_SOURCE_DIR) / "tests/fixtures/malformed";
  std::ifstream expected_file(corpus / "EXPECTED.tsv");
  ASSERT_TRUE(expected_file) << "missing " << (corpus / "EXPECTED.tsv");
  std::map<std::string, std::string> expected;
  std::string line;
  while (std::getline(expected_file, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << "EXPECTED.tsv line without a tab: " << line;
    // An optional third field (`check`) says at which stage the table is refused; `flowline
    // check` must refuse it either way.
    std::string substring = line.substr(tab + 1);
    substring = substring.substr(0, substring.find('\t'));
    expected[line.substr(0, tab)] = substring;
  }
  size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    const std::string name = entry.path().filename().string();
    if (name == "EXPECTED.tsv" || name.rfind("README", 0) == 0) continue;
    SCOPED_TRACE(name);
    auto it = expected.find(name);
    ASSERT_NE(it, expected.end()) << "no EXPECTED.tsv line for " << name;
    const Outcome o = check({"check", entry.path().string()});
    ASSERT_TRUE(o.exited) << "killed by signal " << o.status << "\n" << o.err;
    EXPECT_EQ(o.status, 2) << o.err;
    EXPECT_THAT(o.err, HasSubstr(it->second));
    EXPECT_EQ(o.err.find("AddressSanitizer"), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find("runtime error"), std::string::npos) << o.err;
    ++checked;
  }
  EXPECT_EQ(checked, expected.size()) << "EXPECTED.tsv names files that are not in the corpus";
}

}  // namespace
