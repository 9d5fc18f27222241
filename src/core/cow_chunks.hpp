#pragma once
// A vector kept in fixed-size chunks that copies share, copy-on-write (issue 11). The
// scheduler keeps one record per task here and every published snapshot holds a copy: a copy
// costs a pointer per chunk (100,000 tasks: 391 pointers), and a change to a record copies
// only its chunk, and only while a snapshot still holds that chunk. So the scheduler's state
// and what front ends read are one record per task, not two.
//
// Thread safety: copies may be read and dropped on any thread; only the owner of the original
// changes it (on one thread), and never a chunk another copy holds. Each chunk counts its
// holders itself: a holder lets go with a release, and the owner reads the count with an
// acquire before it writes, so every read a reader made happens before that write (which
// std::shared_ptr::use_count, a relaxed load, would not promise; ThreadSanitizer checks it).
#include <atomic>
#include <cstddef>
#include <utility>
#include <vector>

namespace flowline {

template <class T, size_t kChunk = 256>
class CowChunks {
  struct Chunk {
    std::atomic<long> holders{1};
    std::vector<T> items;
  };

  // One holder's reference to a chunk.
  class Ref {
   public:
    explicit Ref(Chunk* chunk) : chunk_(chunk) {}
    Ref(const Ref& other) : chunk_(other.chunk_) {
      chunk_->holders.fetch_add(1, std::memory_order_relaxed);
    }
    Ref(Ref&& other) noexcept : chunk_(std::exchange(other.chunk_, nullptr)) {}
    Ref& operator=(Ref other) noexcept {
      std::swap(chunk_, other.chunk_);
      return *this;
    }
    ~Ref() {
      if (chunk_ && chunk_->holders.fetch_sub(1, std::memory_order_acq_rel) == 1) delete chunk_;
    }
    Chunk& operator*() const { return *chunk_; }
    Chunk* operator->() const { return chunk_; }
    bool sole_holder() const { return chunk_->holders.load(std::memory_order_acquire) == 1; }

   private:
    Chunk* chunk_;
  };

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
  const T& operator[](size_t i) const { return chunks_[i / kChunk]->items[i % kChunk]; }
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size_}; }

  // The record to change: its chunk is copied first when a copy of this vector holds it.
  T& mut(size_t i) { return own(i / kChunk)[i % kChunk]; }
  void push_back(T value) {
    if (size_ % kChunk == 0) chunks_.emplace_back(fresh_chunk());
    own(chunks_.size() - 1).push_back(std::move(value));
    ++size_;
  }

 private:
  static Chunk* fresh_chunk() {
    auto* chunk = new Chunk;
    chunk->items.reserve(kChunk);
    return chunk;
  }
  std::vector<T>& own(size_t c) {
    Ref& chunk = chunks_[c];
    if (!chunk.sole_holder()) {
      Ref copy(fresh_chunk());
      copy->items.assign(chunk->items.begin(), chunk->items.end());
      chunk = std::move(copy);
    }
    return chunk->items;
  }

  std::vector<Ref> chunks_;
  size_t size_ = 0;
};

}  // namespace flowline
