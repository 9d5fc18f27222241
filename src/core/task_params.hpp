#pragma once
// A task's parameters: the values of its table's non-reserved columns, in column order.
// The column names are shared by every task of one table, so a 100,000-row table holds each
// name once instead of once per cell (half the memory of name/value pairs; issue 2's load time
// is mostly spent faulting in that memory).
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flowline {

class TaskParams {
 public:
  using Names = std::shared_ptr<const std::vector<std::string>>;
  using Entry = std::pair<const std::string&, const std::string&>;  // name, value

  class Iterator {
   public:
    Iterator(const TaskParams* params, size_t index) : params_(params), index_(index) {}
    Entry operator*() const { return {params_->name(index_), params_->value(index_)}; }
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    const TaskParams* params_;
    size_t index_;
  };

  TaskParams() = default;
  // `values` must hold one value per name; blank cells are "".
  TaskParams(Names names, std::vector<std::string> values);
  // For hand-made tasks (tests, builders): names are not shared.
  TaskParams(std::initializer_list<std::pair<std::string, std::string>> entries);

  size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  const std::string& name(size_t i) const { return (*names_)[i]; }
  const std::string& value(size_t i) const { return values_[i]; }
  void set_value(size_t i, std::string value) { values_[i] = std::move(value); }
  // The value of the column called `name`, or nullptr when the table has no such parameter.
  const std::string* find(std::string_view name) const;
  std::vector<std::pair<std::string, std::string>> entries() const;

  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }

  friend bool operator==(const TaskParams& a, const TaskParams& b);

 private:
  Names names_;
  std::vector<std::string> values_;
};

}  // namespace flowline
