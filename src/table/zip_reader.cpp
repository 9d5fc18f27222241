#include "table/zip_reader.hpp"

#include <zip.h>

#include <unordered_set>

#include "table/table_error.hpp"

namespace flowline {
namespace {

std::string zip_error_text(zip_error_t* error) {
  std::string text = zip_error_strerror(error);
  zip_error_fini(error);
  return text;
}

}  // namespace

Result<std::unique_ptr<ZipReader>> ZipReader::open(std::string_view bytes,
                                                   const std::string& path) {
  zip_error_t error;
  zip_error_init(&error);
  if (bytes.empty()) return file_error(path, "empty file: not an XLSX (zip) package");
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) return file_error(path, "cannot read the zip: " + zip_error_text(&error));
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    zip_source_free(source);
    return file_error(
        path, "not a valid XLSX (zip) package, or it is truncated: " + zip_error_text(&error));
  }
  zip_error_fini(&error);
  std::unique_ptr<ZipReader> reader(new ZipReader(archive, path));
  if (Status s = reader->check_unique_names(); !s.ok()) return s.error();
  return reader;
}

ZipReader::~ZipReader() { zip_discard(zip_); }

// Two entries with one name make "the part called X" ambiguous (found by fuzzing: the writer
// replaced one and the reader then read the other), so such packages are refused.
Status ZipReader::check_unique_names() const {
  const zip_int64_t count = zip_get_num_entries(zip_, 0);
  if (count < 0) return file_error(path_, "cannot list the zip's entries");
  std::unordered_set<std::string_view> names;
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(zip_, static_cast<zip_uint64_t>(i), 0);
    if (name == nullptr)
      return file_error(path_, "cannot read the name of zip entry " + std::to_string(i));
    if (!names.insert(name).second) {
      return file_error(path_, std::string("the package has two parts named ") + name);
    }
  }
  return ok_status();
}

bool ZipReader::contains(const std::string& name) const {
  return zip_name_locate(zip_, name.c_str(), 0) >= 0;
}

Result<std::string> ZipReader::read(const std::string& name) const {
  const zip_int64_t index = zip_name_locate(zip_, name.c_str(), 0);
  if (index < 0) return file_error(path_, "the package has no part " + name);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip_, static_cast<zip_uint64_t>(index), 0, &st) != 0 ||
      !(st.valid & ZIP_STAT_SIZE)) {
    return file_error(path_, "cannot stat part " + name + ": " + zip_strerror(zip_));
  }
  if (st.size > kMaxZipEntryBytes) {
    return file_error(path_, "part " + name + " claims " + std::to_string(st.size) +
                                 " bytes uncompressed, above the " +
                                 std::to_string(kMaxZipEntryBytes >> 20) +
                                 " MiB limit; refusing to expand it");
  }
  zip_file_t* file = zip_fopen_index(zip_, static_cast<zip_uint64_t>(index), 0);
  if (file == nullptr) {
    return file_error(path_, "cannot open part " + name + ": " + zip_strerror(zip_));
  }
  std::string data(st.size, '\0');
  zip_uint64_t done = 0;
  std::string problem;
  while (done < st.size) {
    const zip_int64_t n = zip_fread(file, data.data() + done, st.size - done);
    if (n < 0) {
      problem = zip_error_strerror(zip_file_get_error(file));
      break;
    }
    if (n == 0) {
      problem = "part is shorter than its header says";
      break;
    }
    done += static_cast<zip_uint64_t>(n);
  }
  if (problem.empty()) {
    char extra = 0;  // a part longer than it claims is as corrupt as a shorter one
    const zip_int64_t n = zip_fread(file, &extra, 1);
    if (n != 0)
      problem = n < 0 ? zip_error_strerror(zip_file_get_error(file))
                      : "part is longer than its header says";
  }
  if (zip_fclose(file) != 0 && problem.empty()) problem = "checksum or read error";
  if (!problem.empty()) return file_error(path_, "corrupt part " + name + ": " + problem);
  return data;
}

}  // namespace flowline
