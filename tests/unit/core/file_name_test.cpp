#include "core/file_name.hpp"

#include <gtest/gtest.h>

namespace flowline {

TEST(SafeFileName, KeepsLettersOfEveryScript) {
  // The old rule gave "emoji-____-______": a Chinese-named grid had unreadable logs.
  EXPECT_EQ(safe_file_name("emoji-🚀-名前"), "emoji-🚀-名前");
  EXPECT_EQ(safe_file_name("résumé lr=0.1 (v2)"), "résumé lr=0.1 (v2)");
  EXPECT_EQ(safe_file_name("实验-基线-种子0"), "实验-基线-种子0");
}

TEST(SafeFileName, ReplacesOnlyWhatIsUnsafe) {
  EXPECT_EQ(safe_file_name("a/b"), "a_b");
  EXPECT_EQ(safe_file_name(std::string("a\0b", 3)), "a_b");
  EXPECT_EQ(safe_file_name("a\nb\tc\x1b[31md\x7f"), "a_b_c_[31md_");
  EXPECT_EQ(safe_file_name("a\u0085b"), "a_b");  // C1 control (NEL)
  EXPECT_EQ(safe_file_name("-rf"), "_rf");
  EXPECT_EQ(safe_file_name(".hidden"), "_hidden");
  EXPECT_EQ(safe_file_name("a\xff"
                           "b"),
            "a_b");  // not UTF-8
}

TEST(SafeFileName, CapsBytesWithoutSplittingACharacter) {
  std::string name;
  for (int i = 0; i < 100; ++i) name += "名";  // 3 bytes each
  const std::string cut = safe_file_name(name, 200);
  EXPECT_EQ(cut.size(), 198u);  // 66 characters; a 67th would need 201 bytes
  EXPECT_EQ(cut, name.substr(0, 198));
  EXPECT_EQ(safe_file_name("🚀🚀", 7), "🚀");
  EXPECT_EQ(safe_file_name(std::string(300, 'a')).size(), kMaxFileNameBytes);
}

}  // namespace flowline
