#include "exec/local/supervisor/run_block.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace flowline::supervisor {
namespace {

// The supervisor's deepest frame holds two lists of 1024 processes (tens of KiB); a quarter
// of a MiB leaves room for glibc and the kernel's signal frames.
constexpr size_t kStackBytes = 256 * 1024;
constexpr size_t kUsualDataBytes = 64 * 1024;  // request + environment of a typical run
constexpr size_t kMaxSpares = 16;

size_t page_size() { return static_cast<size_t>(sysconf(_SC_PAGESIZE)); }
size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

size_t data_bytes(const spawn_protocol::Request& request) {
  size_t bytes = sizeof(Launch) + 64;  // + alignment slack
  for (const std::string* s : {&request.records, &request.command, &request.cwd})
    bytes += s->size() + 1;
  bytes += (request.env.size() + 1) * sizeof(char*);
  for (const auto& entry : request.env) bytes += entry.size() + 1;
  return bytes;
}

// Layout: [guard page][stack, growing down][Launch, envp, strings].
RunBlocks::Block map_block(size_t data) {
  const size_t guard = page_size();
  const size_t size = guard + kStackBytes + round_up(data, page_size());
  void* base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return {};
  // An overflowing supervisor then dies on this page instead of writing into the server.
  mprotect(base, guard, PROT_NONE);
  RunBlocks::Block block;
  block.base = static_cast<char*>(base);
  block.size = size;
  block.stack_top = block.base + guard + kStackBytes;
  block.launch = reinterpret_cast<Launch*>(block.base + guard + kStackBytes);
  return block;
}

bool is_usual(const RunBlocks::Block& block) {
  return block.size == page_size() + kStackBytes + round_up(kUsualDataBytes, page_size());
}

// Copies `text` to `*cursor` with its NUL and advances the cursor.
char* copy_in(char*& cursor, const std::string& text) {
  char* at = cursor;
  std::memcpy(at, text.c_str(), text.size() + 1);
  cursor += text.size() + 1;
  return at;
}

void fill(RunBlocks::Block& block, const spawn_protocol::Request& request, const int fds[2]) {
  Launch* launch = new (block.launch) Launch();
  char* cursor = reinterpret_cast<char*>(launch + 1);
  auto** envp = reinterpret_cast<char**>(round_up(reinterpret_cast<size_t>(cursor), alignof(char*)));
  cursor = reinterpret_cast<char*>(envp + request.env.size() + 1);
  for (size_t i = 0; i < request.env.size(); ++i) envp[i] = copy_in(cursor, request.env[i]);
  envp[request.env.size()] = nullptr;
  launch->request.records = copy_in(cursor, request.records);
  launch->request.slot = request.slot;
  launch->request.run_id = request.run_id;
  launch->request.command = copy_in(cursor, request.command);
  launch->request.envp = envp;
  launch->request.timeout_ms = request.timeout_ms.value_or(-1);
  launch->request.grace_ms = request.grace_ms;
  launch->request.durable = request.durable;
  launch->request.log_limit = request.log_limit;
  launch->cwd = copy_in(cursor, request.cwd);
  launch->stdout_fd = fds[0];
  launch->stderr_fd = fds[1];
  const std::string name = "fl-run-" + std::to_string(request.run_id);
  std::memcpy(launch->name, name.c_str(), std::min(name.size(), sizeof launch->name - 1));
}

}  // namespace

RunBlocks::Block RunBlocks::take(const spawn_protocol::Request& request, const int fds[2]) {
  const size_t data = data_bytes(request);
  Block block;
  if (data <= kUsualDataBytes && !spare_.empty()) {
    block = spare_.back();
    spare_.pop_back();
  } else {
    block = map_block(std::max(data, kUsualDataBytes));
    if (!block.base) return block;
  }
  fill(block, request, fds);
  return block;
}

void RunBlocks::started(const Block& block, pid_t pid) { in_use_.push_back({pid, block}); }

void RunBlocks::give_back(const Block& block) {
  if (is_usual(block) && spare_.size() < kMaxSpares) {
    spare_.push_back(block);
  } else {
    munmap(block.base, block.size);
  }
}

void RunBlocks::reaped(pid_t pid) {
  auto it = std::find_if(in_use_.begin(), in_use_.end(),
                         [&](const InUse& used) { return used.pid == pid; });
  if (it == in_use_.end()) return;
  const Block block = it->block;
  in_use_.erase(it);
  give_back(block);
}

}  // namespace flowline::supervisor
