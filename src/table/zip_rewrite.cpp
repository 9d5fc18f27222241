#include "table/zip_rewrite.hpp"

#include <zip.h>

#include <cstdlib>
#include <cstring>
#include <ctime>

#include "table/table_error.hpp"

namespace flowline {
namespace {

// libzip defaults to level 9, which takes ~8 s for a 100,000-row sheet here; level 1 takes
// ~0.6 s for a part about a third larger. run_num is rewritten after every run, so speed wins.
constexpr zip_uint32_t kDeflateLevel = 1;

// A zip source that reads an EditedText: libzip opens it, asks its size and reads it through
// once while it compresses.
zip_int64_t read_edited_text(void* state, void* data, zip_uint64_t length,
                             zip_source_cmd_t command) {
  auto& text = *static_cast<EditedText*>(state);
  switch (command) {
    case ZIP_SOURCE_OPEN:
      text.rewind();
      return 0;
    case ZIP_SOURCE_READ:
      return static_cast<zip_int64_t>(text.read(static_cast<char*>(data), length));
    case ZIP_SOURCE_STAT: {
      if (length < sizeof(zip_stat_t)) return -1;
      auto* stat = static_cast<zip_stat_t*>(data);
      zip_stat_init(stat);
      stat->size = text.size();
      stat->mtime = std::time(nullptr);  // what a buffer source says, as before
      stat->valid |= ZIP_STAT_SIZE | ZIP_STAT_MTIME;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR: {  // never failed: report "no error"
      zip_error_t none;
      zip_error_init(&none);
      const zip_int64_t n = zip_error_to_data(&none, data, length);
      zip_error_fini(&none);
      return n;
    }
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_FREE:
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                            ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      return -1;
  }
}

// Reads a buffer source's whole current content.
Result<std::string> drain(zip_source_t* source, const std::string& path) {
  if (zip_source_open(source) != 0) {
    return file_error(path, std::string("cannot reopen the rewritten zip: ") +
                                zip_error_strerror(zip_source_error(source)));
  }
  std::string out;
  zip_stat_t stat;
  if (zip_source_stat(source, &stat) == 0 && (stat.valid & ZIP_STAT_SIZE) != 0)
    out.reserve(stat.size);  // one allocation, not a doubling series
  char buffer[65536];
  while (true) {
    const zip_int64_t n = zip_source_read(source, buffer, sizeof buffer);
    if (n < 0) {
      zip_source_close(source);
      return file_error(path, std::string("cannot read the rewritten zip: ") +
                                  zip_error_strerror(zip_source_error(source)));
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  zip_source_close(source);
  return out;
}

}  // namespace

Result<std::string> replace_zip_entry(std::string_view archive, const std::string& path,
                                      const std::string& entry, EditedText& content) {
  zip_error_t error;
  zip_error_init(&error);
  // libzip owns (and may free or reuse) the buffer it writes back into, so hand it a malloc'd
  // copy rather than memory we own.
  void* copy = std::malloc(archive.size() == 0 ? 1 : archive.size());
  if (copy == nullptr) return file_error(path, "out of memory copying the package");
  std::memcpy(copy, archive.data(), archive.size());
  zip_source_t* source = zip_source_buffer_create(copy, archive.size(), 1, &error);
  if (source == nullptr) {
    std::free(copy);
    std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    return file_error(path, "cannot rewrite the zip: " + text);
  }
  zip_source_keep(source);  // we read the result back from it after zip_close
  zip_t* zip = zip_open_from_source(source, 0, &error);
  if (zip == nullptr) {
    std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    zip_source_free(source);
    zip_source_free(source);
    return file_error(path, "cannot rewrite the zip: " + text);
  }
  zip_error_fini(&error);
  auto fail = [&](const std::string& what) {
    Error e = file_error(path, what + ": " + zip_strerror(zip));
    zip_discard(zip);
    zip_source_free(source);
    return e;
  };
  const zip_int64_t index = zip_name_locate(zip, entry.c_str(), 0);
  if (index < 0) return fail("the package lost part " + entry);
  // Delete + add rather than zip_file_replace: libzip 1.7 resets the level of a replaced
  // entry whose method is unchanged to its default (9). The part moves to the end of the
  // archive, which the package format allows (parts are found by name).
  if (zip_delete(zip, static_cast<zip_uint64_t>(index)) != 0) {
    return fail("cannot drop the old " + entry);
  }
  zip_source_t* replacement = zip_source_function(zip, read_edited_text, &content);
  if (replacement == nullptr) return fail("cannot stage the new " + entry);
  const zip_int64_t added = zip_file_add(zip, entry.c_str(), replacement, ZIP_FL_ENC_UTF_8);
  if (added < 0) {
    zip_source_free(replacement);
    return fail("cannot add the new " + entry);
  }
  if (zip_set_file_compression(zip, static_cast<zip_uint64_t>(added), ZIP_CM_DEFLATE,
                               kDeflateLevel) != 0) {
    return fail("cannot set compression of " + entry);
  }
  if (zip_close(zip) != 0) return fail("cannot write the new package");
  Result<std::string> bytes = drain(source, path);
  zip_source_free(source);
  return bytes;
}

}  // namespace flowline
