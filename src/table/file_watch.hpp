#pragma once
// Notices when a file is saved, however the editor saves it: written in place, or a new file
// renamed over it (vim, LibreOffice, sed -i), or copied over it. inotify watches the file's
// directory for its name, since a rename replaces the inode a watch on the file would follow.
#include <memory>
#include <string>

#include "core/result.hpp"

namespace flowline {

class FileWatch {
 public:
  // `path` should be canonical (symlinks resolved), so the directory watched holds the file.
  static Result<std::unique_ptr<FileWatch>> open(const std::string& path);
  ~FileWatch();
  FileWatch(const FileWatch&) = delete;
  FileWatch& operator=(const FileWatch&) = delete;

  int fd() const { return fd_; }  // readable when events are pending
  // Reads every pending event; true when any was about the file. Never blocks.
  bool drain();

 private:
  FileWatch(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  int fd_;
  std::string name_;
};

}  // namespace flowline
