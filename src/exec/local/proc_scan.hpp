#pragma once
// Reading /proc without the heap: a run's supervisor shares the supervisor server's memory and
// may not call malloc (supervisor/spawn_server.hpp). proc.hpp's vector-returning forms for the
// executor are built on these.
#include <sys/types.h>

#include "exec/local/proc.hpp"

namespace flowline::proc {

// A list of fixed capacity, on the stack: a run with more live processes than this is
// handled in passes (the kill loop rescans until nothing is left).
template <class T>
struct BoundedList {
  static constexpr int kCapacity = 1024;
  T items[kCapacity];
  int size = 0;

  bool add(const T& item) {  // false when full
    if (size == kCapacity) return false;
    items[size++] = item;
    return true;
  }
  T pop() { return items[--size]; }
  const T* begin() const { return items; }
  const T* end() const { return items + size; }
};
using PidList = BoundedList<pid_t>;

// False when the process does not exist (or /proc cannot be read).
bool read_stat(pid_t pid, ProcStat& out);

// Direct children of every thread of `pid`, appended to `out`.
void add_children(pid_t pid, PidList& out);

// Calls visit(pid, context) for every process in /proc.
void for_each_process(void (*visit)(pid_t pid, void* context), void* context);

template <class Fn>
void for_each_process(Fn&& fn) {
  for_each_process([](pid_t pid, void* context) { (*static_cast<Fn*>(context))(pid); }, &fn);
}

}  // namespace flowline::proc
