// Table load and write-back timings (see bench/tables.sh and docs/benchmarks.md "Tables").
//   table_bench generate DIR [ROWS]   writes DIR/bench.csv and DIR/bench.xlsx (10 columns)
//   table_bench load FILE [REPEAT]    read_table timings and this process's peak RSS
//   table_bench write FILE [REPEAT]   write_cells of one run_num in the middle row (peak RSS:
//                                     the write-back's own; the table is read in a child)
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "table/table_file.hpp"
#include "table/xlsx_values.hpp"

namespace {

using flowline::RawTable;
using flowline::Result;

const char* const kColumns[] = {"name", "dataset", "model",   "method", "lr",
                                "seed", "batch",   "dropout", "note",   "run_num"};
const char* const kDatasets[] = {"cifar10", "cifar100", "imagenet", "mnist"};
const char* const kModels[] = {"resnet18", "resnet50", "vit-b16", "mlp"};

// Cell c of data row r: a realistic grid of text and numbers.
std::string value(int64_t r, int c) {
  switch (c) {
    case 0:
      return "run-" + std::to_string(r);
    case 1:
      return kDatasets[r % 4];
    case 2:
      return kModels[(r / 4) % 4];
    case 3:
      return r % 3 == 0 ? "baseline, tuned" : "ours";
    case 4:
      return r % 2 ? "0.001" : "1e-05";
    case 5:
      return std::to_string(r % 5);
    case 6:
      return std::to_string(32 << (r % 4));
    case 7:
      return "0." + std::to_string(r % 9 + 1);
    case 8:
      return "note " + std::to_string(r * 7919 % 100003);
    default:
      return "0";
  }
}

bool is_text(int c) { return c <= 3 || c == 8; }

void generate_csv(const std::string& path, int64_t rows) {
  std::ofstream out(path, std::ios::binary);
  for (int c = 0; c < 10; ++c) out << (c ? "," : "") << kColumns[c];
  out << "\n";
  for (int64_t r = 0; r < rows; ++r) {
    for (int c = 0; c < 10; ++c) {
      const std::string v = value(r, c);
      out << (c ? "," : "");
      if (v.find(',') != std::string::npos)
        out << '"' << v << '"';
      else
        out << v;
    }
    out << "\n";
  }
}

// Excel-style: text in the shared-string table, numbers inline.
void generate_xlsx(const std::string& path, int64_t rows) {
  std::vector<std::string> shared;
  auto share = [&](const std::string& s) {
    shared.push_back(s);
    return std::to_string(shared.size() - 1);
  };
  std::string sheet =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://"
      "schemas.openxmlformats.org/spreadsheetml/2006/main\"><dimension ref=\"A1:J" +
      std::to_string(rows + 1) + "\"/><sheetData>";
  for (int64_t r = 0; r <= rows; ++r) {
    sheet += "<row r=\"" + std::to_string(r + 1) + "\">";
    for (int c = 0; c < 10; ++c) {
      const std::string ref = flowline::cell_name(c + 1, r + 1);
      if (r == 0 || is_text(c)) {
        sheet += "<c r=\"" + ref + "\" t=\"s\"><v>" +
                 share(r == 0 ? kColumns[c] : value(r - 1, c)) + "</v></c>";
      } else {
        sheet += "<c r=\"" + ref + "\"><v>" + value(r - 1, c) + "</v></c>";
      }
    }
    sheet += "</row>";
  }
  sheet += "</sheetData></worksheet>";
  std::string sst =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas."
      "openxmlformats.org/spreadsheetml/2006/main\">";
  for (const std::string& s : shared) sst += "<si><t>" + s + "</t></si>";
  sst += "</sst>";
  const std::string ns = "http://schemas.openxmlformats.org/";
  const std::vector<std::pair<std::string, std::string>> parts = {
      {"[Content_Types].xml",
       "<Types xmlns=\"" + ns +
           "package/2006/content-types\"><Default Extension=\"rels\" "
           "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default "
           "Extension=\"xml\" ContentType=\"application/xml\"/><Override "
           "PartName=\"/xl/workbook.xml\" "
           "ContentType=\"application/"
           "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
           "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd."
           "openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/><Override PartName=\"/xl/"
           "sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument."
           "spreadsheetml.sharedStrings+xml\"/></Types>"},
      {"_rels/.rels", "<Relationships xmlns=\"" + ns +
                          "package/2006/relationships\"><Relationship "
                          "Id=\"rId1\" Type=\"" +
                          ns +
                          "officeDocument/2006/relationships/officeDocument\" Target=\"xl/"
                          "workbook.xml\"/></Relationships>"},
      {"xl/workbook.xml", "<workbook xmlns=\"" + ns + "spreadsheetml/2006/main\" xmlns:r=\"" + ns +
                              "officeDocument/2006/relationships\"><sheets><sheet name=\"Tasks\" "
                              "sheetId=\"1\" r:id=\"rId1\""
                              "/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships xmlns=\"" + ns +
           "package/2006/relationships\">"
           "<Relationship Id=\"rId1\" Type=\"" +
           ns +
           "officeDocument/2006/relationships/worksheet\" "
           "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" +
           ns +
           "officeDocument"
           "/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"},
      {"xl/worksheets/sheet1.xml", sheet},
      {"xl/sharedStrings.xml", sst}};
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (zip == nullptr) std::abort();
  for (const auto& [name, data] : parts) {
    zip_source_t* src = zip_source_buffer(zip, data.data(), data.size(), 0);
    if (src == nullptr || zip_file_add(zip, name.c_str(), src, 0) < 0) std::abort();
  }
  if (zip_close(zip) != 0) std::abort();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// User + system CPU seconds of this process: on a shared, overloaded machine the wall time
// includes waiting for a core; CPU time shows what the work itself costs.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

void report(const char* what, const std::string& path, std::vector<double> times,
            std::vector<double> cpu) {
  std::sort(times.begin(), times.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf(
      "%s %s: wall best %.3f s, median %.3f s; CPU best %.3f s over %zu runs; "
      "peak RSS %ld MiB\n",
      what, path.c_str(), times.front(), times[times.size() / 2], cpu.front(), times.size(),
      peak_rss_mib());
}

int load(const std::string& path, int repeat) {
  std::vector<double> times, cpu;
  for (int i = 0; i < repeat; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds();
    Result<RawTable> table = flowline::read_table(path);
    times.push_back(seconds_since(start));
    cpu.push_back(cpu_seconds() - cpu_start);
    if (!table.ok()) {
      std::fprintf(stderr, "%s\n", table.error().message.c_str());
      return 1;
    }
    if (i == 0) std::printf("%zu rows x %zu columns\n", table->rows.size(), table->columns.size());
  }
  report("load", path, times, cpu);
  return 0;
}

// The middle row's index, read in a child process: reading the whole table would otherwise
// set this process's peak RSS, hiding the write-back's own. -1 if the table does not read.
int64_t middle_row(const std::string& path) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  const pid_t child = fork();
  if (child == 0) {
    Result<RawTable> table = flowline::read_table(path);
    const int64_t row = table.ok() ? static_cast<int64_t>(table->rows.size() / 2) : -1;
    _exit(::write(fds[1], &row, sizeof row) == sizeof row ? 0 : 1);
  }
  close(fds[1]);
  int64_t row = -1;
  if (child < 0 || ::read(fds[0], &row, sizeof row) != sizeof row) row = -1;
  close(fds[0]);
  if (child > 0) waitpid(child, nullptr, 0);
  return row;
}

int write(const std::string& path, int repeat) {
  const int64_t row = middle_row(path);
  if (row < 0) {
    std::fprintf(stderr, "%s: cannot read the table\n", path.c_str());
    return 1;
  }
  std::vector<double> times, cpu;
  for (int i = 0; i < repeat; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds();
    flowline::Status status =
        flowline::write_cells(path, {{row, "run_num", std::to_string(i + 1)}});
    times.push_back(seconds_since(start));
    cpu.push_back(cpu_seconds() - cpu_start);
    if (!status.ok()) {
      std::fprintf(stderr, "%s\n", status.error().message.c_str());
      return 1;
    }
  }
  report("write run_num", path, times, cpu);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: table_bench generate DIR [ROWS] | load FILE [N] | write FILE [N]\n");
    return 2;
  }
  const std::string command = argv[1], target = argv[2];
  const int n = argc > 3 ? std::atoi(argv[3]) : 5;
  if (command == "generate") {
    struct stat dir{};
    if (stat(target.c_str(), &dir) != 0 || !S_ISDIR(dir.st_mode)) {
      std::fprintf(stderr, "table_bench: %s is not a directory (create it first)\n",
                   target.c_str());
      return 2;
    }
    const int64_t rows = argc > 3 ? std::atoll(argv[3]) : 100000;
    generate_csv(target + "/bench.csv", rows);
    generate_xlsx(target + "/bench.xlsx", rows);
    return 0;
  }
  if (command == "load") return load(target, n);
  if (command == "write") return write(target, n);
  return 2;
}
