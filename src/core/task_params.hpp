#pragma once
// A task's parameters: the values of its table's non-reserved columns, in column order.
// The column names are shared by every task of one table, so a 100,000-row table holds each
// name once instead of once per cell (half the memory of name/value pairs; issue 2's load time
// is mostly spent faulting in that memory). The values are packed into one string, each after
// its length: a row's few short values then fit in the string itself, with no allocation of
// their own (issue 11: 100,000 rows held 7 MB of separately allocated values, scattered
// among the table reader's freed memory).
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flowline {

class TaskParams {
 public:
  using Names = std::shared_ptr<const std::vector<std::string>>;
  using Entry = std::pair<const std::string&, std::string_view>;  // name, value

  class Iterator {
   public:
    Iterator(const TaskParams* params, size_t index, size_t offset)
        : params_(params), index_(index), offset_(offset) {}
    Entry operator*() const { return {params_->name(index_), params_->value_at(offset_)}; }
    Iterator& operator++() {
      offset_ = params_->next_offset(offset_);
      ++index_;
      return *this;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    const TaskParams* params_;
    size_t index_;
    size_t offset_;  // where its value's length is in the packed values
  };

  TaskParams() = default;
  // `values` must hold one value per name; blank cells are "".
  TaskParams(Names names, const std::vector<std::string>& values);
  // For hand-made tasks (tests, builders): names are not shared.
  TaskParams(std::initializer_list<std::pair<std::string, std::string>> entries);

  size_t size() const { return names_ ? names_->size() : 0; }
  bool empty() const { return size() == 0; }
  const std::string& name(size_t i) const { return (*names_)[i]; }
  std::string_view value(size_t i) const;
  void set_value(size_t i, std::string_view value);
  // The value of the column called `name`, or nullopt when the table has no such parameter.
  std::optional<std::string_view> find(std::string_view name) const;
  std::vector<std::pair<std::string, std::string>> entries() const;

  Iterator begin() const { return {this, 0, 0}; }
  Iterator end() const { return {this, size(), packed_.size()}; }

  friend bool operator==(const TaskParams& a, const TaskParams& b);

 private:
  std::string_view value_at(size_t offset) const;
  size_t next_offset(size_t offset) const;
  size_t offset_of(size_t i) const;

  Names names_;
  std::string packed_;  // per value: its length (7 bits a byte, high bit: more), then its bytes
};

}  // namespace flowline
