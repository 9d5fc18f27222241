#pragma once
// A vector kept in fixed-size chunks that copies share, copy-on-write (issue 11). The
// scheduler keeps one record per task here and every published snapshot holds a copy: a copy
// costs a pointer per chunk (100,000 tasks: 391 pointers), and a change to a record copies
// only its chunk, and only while a snapshot still holds that chunk. So the scheduler's state
// and what front ends read are one record per task, not two.
//
// Thread safety: copies may be read on any thread; only the owner of the original changes it
// (on one thread), and never a chunk another copy holds.
#include <atomic>
#include <cstddef>
#include <memory>
#include <vector>

namespace flowline {

template <class T, size_t kChunk = 256>
class CowChunks {
  using Chunk = std::vector<T>;

 public:
  class Iterator {
   public:
    Iterator(const CowChunks* v, size_t i) : v_(v), i_(i) {}
    const T& operator*() const { return (*v_)[i_]; }
    const T* operator->() const { return &(*v_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const Iterator& other) const { return i_ == other.i_; }

   private:
    const CowChunks* v_;
    size_t i_;
  };

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](size_t i) const { return (*chunks_[i / kChunk])[i % kChunk]; }
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size_}; }

  // The record to change: its chunk is copied first when a copy of this vector holds it.
  T& mut(size_t i) { return own(i / kChunk)[i % kChunk]; }
  void push_back(T value) {
    if (size_ % kChunk == 0) {
      chunks_.push_back(std::make_shared<Chunk>());
      chunks_.back()->reserve(kChunk);
    }
    own(chunks_.size() - 1).push_back(std::move(value));
    ++size_;
  }

 private:
  Chunk& own(size_t c) {
    std::shared_ptr<Chunk>& chunk = chunks_[c];
    if (chunk.use_count() > 1) {
      auto copy = std::make_shared<Chunk>();
      copy->reserve(kChunk);
      copy->assign(chunk->begin(), chunk->end());
      chunk = std::move(copy);
    }
    // A reader on another thread may just have let go of it: see its reads done before ours.
    std::atomic_thread_fence(std::memory_order_acquire);
    return *chunk;
  }

  std::vector<std::shared_ptr<Chunk>> chunks_;
  size_t size_ = 0;
};

}  // namespace flowline
