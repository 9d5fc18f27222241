// `task`, `ls` and `gpus` as the shell and ctl print them, at 80 and 160 columns, with the
// names a grid really has: long, alike but for their end, CJK (two columns a character) and
// hostile (escape sequences and control characters pasted into a cell).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "fakes/fake_engine.hpp"
#include "front/shell/command_interpreter.hpp"
#include "front/shell/text_width.hpp"

namespace flowline::shell {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<std::string> kNames = {
    "imagenet100-resnet18-baseline-s0",
    "imagenet100-resnet18-baseline-s1",
    "cifar10-vit-b16-augmix-lr0.001-wd0.05-warmup5-cosine-s0",
    "实验-基线-种子0-学习率0.1",
    "evil\x1b[31mred\x1b[0m\ttab\nline\xc2\x9b"
    "2J",
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

struct ListingsTest : ::testing::TestWithParam<size_t> {
  ListingsTest() : engine_(snapshot()), interpreter_(engine_, Surface::kCtl) {}

  static EngineSnapshot snapshot() {
    EngineSnapshot s = testing::FakeEngine::sample_snapshot();
    s.tasks = TaskViews();
    s.runs.clear();
    for (size_t i = 0; i < kNames.size(); ++i) {
      s.tasks.push_back(testing::FakeEngine::task_view(static_cast<int64_t>(i), kNames[i],
                                                       TaskState::kRunning, 0, 1));
      RunView run = testing::FakeEngine::run_view(
          static_cast<int64_t>(10 + i), static_cast<int64_t>(i), {static_cast<int>(i % 2)},
          "python -u train.py --data /datasets/imagenet100 --model resnet18 --method baseline "
          "--seed " +
              std::to_string(i));
      run.task_name = kNames[i];
      s.runs.push_back(run);
    }
    s.gpus[0].name = "NVIDIA GeForce RTX 3090 Ti with a long name";
    return s;
  }

  std::string run(const std::string& line) {
    return interpreter_.execute_line(line, Presentation{GetParam(), false}).text;
  }

  // Every line fits, ends in no space, and carries no control character but its newline.
  void expect_fits_and_is_clean(const std::string& text) {
    for (const std::string& line : lines_of(text)) {
      EXPECT_LE(display_width(line), GetParam()) << line;
      EXPECT_FALSE(!line.empty() && line.back() == ' ') << "[" << line << "]";
      for (unsigned char c : line) EXPECT_FALSE(c < 0x20 || c == 0x7f) << line;
      EXPECT_EQ(line.find("\xc2\x9b"), std::string::npos) << line;  // C1 CSI
    }
  }

  // The NAME cell of each row: the text between the NAME column's start and the next column.
  std::vector<std::string> name_cells(const std::string& text, const std::string& next) {
    std::vector<std::string> lines = lines_of(text);
    const size_t start = lines[0].find("NAME"), end = lines[0].find(next);
    std::vector<std::string> cells;
    for (size_t i = 1; i < lines.size(); ++i) {
      if (lines[i].rfind("    ", 0) == 0 && lines[i].find_first_not_of(' ') > start) continue;
      // Columns are counted in display columns: walk the line to them.
      std::string cell;
      size_t col = 0;
      for (size_t b = 0; b < lines[i].size();) {
        size_t n = 1;
        while (b + n < lines[i].size() &&
               (static_cast<unsigned char>(lines[i][b + n]) & 0xC0) == 0x80)
          ++n;
        const std::string ch = lines[i].substr(b, n);
        if (col >= start && col < end) cell += ch;
        col += display_width(ch);
        b += n;
      }
      while (!cell.empty() && cell.back() == ' ') cell.pop_back();
      cells.push_back(cell);
    }
    return cells;
  }

  testing::FakeEngine engine_;
  CommandInterpreter interpreter_;
};

TEST_P(ListingsTest, TaskNeverCutsTwoNamesToTheSameTextAndEscapesHostileOnes) {
  const std::string text = run("task");
  expect_fits_and_is_clean(text);
  std::vector<std::string> cells = name_cells(text, "STATE");
  ASSERT_EQ(cells.size(), kNames.size()) << text;
  EXPECT_EQ(std::set<std::string>(cells.begin(), cells.end()).size(), kNames.size()) << text;
  EXPECT_THAT(cells[0], HasSubstr("s0"));
  EXPECT_THAT(cells[1], HasSubstr("s1"));
  EXPECT_THAT(text, HasSubstr("evil\\x1b[31m"));  // shown, not obeyed
  if (GetParam() >= 160) {
    for (size_t i = 0; i + 1 < kNames.size(); ++i) EXPECT_EQ(cells[i], kNames[i]);
    EXPECT_EQ(cells[4], "evil\\x1b[31mred\\x1b[0m\\ttab\\nline\\u009b2J");
  }
}

TEST_P(ListingsTest, LsHasPidAndTheWholeCommandAndDistinctNames) {
  const std::string text = run("ls");
  expect_fits_and_is_clean(text);
  EXPECT_THAT(lines_of(text)[0], HasSubstr("  PID  COMMAND"));
  std::vector<std::string> cells = name_cells(text, "GPUS");
  ASSERT_EQ(cells.size(), kNames.size()) << text;
  EXPECT_EQ(std::set<std::string>(cells.begin(), cells.end()).size(), kNames.size()) << text;
  EXPECT_THAT(text, Not(HasSubstr("python -u train.py --data /datasets/imagenet100 --model "
                                  "resnet18 --method baseline --seed 4…")));
  // Every word of every command is there, whatever the width.
  for (const char* word : {"--method", "baseline", "--seed", "4", "4010", "4014"})
    EXPECT_THAT(text, HasSubstr(word));
}

TEST_P(ListingsTest, GpusFitsWithOneUnknownMark) {
  const std::string text = run("gpus");
  expect_fits_and_is_clean(text);
  EXPECT_THAT(text, HasSubstr("      -/-"));  // GPU 1's unknown power
  EXPECT_THAT(text, Not(HasSubstr("?")));
  if (GetParam() >= 160) {
    EXPECT_THAT(text, HasSubstr("NVIDIA GeForce RTX 3090 Ti with a long name"));
  }
}

INSTANTIATE_TEST_SUITE_P(Widths, ListingsTest, ::testing::Values(80, 160));

}  // namespace
}  // namespace flowline::shell
