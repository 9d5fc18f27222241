#include "table/edit_list.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace flowline {
namespace {

// Reads the whole edited text `chunk` bytes at a time, as a compressor would.
std::string read_in_chunks(EditedText& edited, size_t chunk) {
  std::string out;
  std::string buffer(chunk, '\0');
  while (size_t n = edited.read(buffer.data(), chunk)) out.append(buffer, 0, n);
  return out;
}

TEST(EditList, ReplacesInsertsAndDeletesInOnePass) {
  const std::string text = "<row><c>1</c><c>2</c></row>";
  const std::vector<TextEdit> edits = {{5, 5, "<c>0</c>"},                // insert at the start
                                       {5, 13, "<c>one</c>"},             // replace the first cell
                                       {13, 21, ""},                      // delete the second
                                       {text.size(), text.size(), "!"}};  // append
  EXPECT_EQ(apply_edits(text, edits), "<row><c>0</c><c>one</c></row>!");
}

TEST(EditList, StreamingGivesTheSameTextInAnyChunkSize) {
  const std::string text = "abcdefghijklmnopqrstuvwxyz";
  const std::vector<TextEdit> edits = {
      {0, 0, ""}, {0, 3, "ABC"}, {3, 3, "--"}, {10, 12, ""}, {20, 26, "the end"}};
  const std::string whole = apply_edits(text, edits);
  EditedText edited(text, edits);
  EXPECT_EQ(edited.size(), whole.size());
  for (size_t chunk : {1, 2, 3, 7, 64}) {
    edited.rewind();
    EXPECT_EQ(read_in_chunks(edited, chunk), whole) << "chunk " << chunk;
    char byte;
    EXPECT_EQ(edited.read(&byte, 1), 0u);  // stays at the end
  }
}

TEST(EditList, NoEditsReadsTheTextAsItIs) {
  const std::vector<TextEdit> none;
  EditedText edited("unchanged", none);
  EXPECT_EQ(edited.size(), 9u);
  EXPECT_EQ(read_in_chunks(edited, 4), "unchanged");
  EditedText empty("", none);
  EXPECT_EQ(read_in_chunks(empty, 4), "");
}

}  // namespace
}  // namespace flowline
