#include "model/utf16.h"

#include <gtest/gtest.h>

namespace rras {
namespace {

TEST(Utf16Test, ConvertsBmpAndSurrogatePairs) {
  const char16_t text[] = u"J\u00fcrgen \u7528\u6237 \U0001F600";
  EXPECT_EQ(utf16ToUtf8(text, std::size(text)), "J\xC3\xBCrgen \xE7\x94\xA8\xE6\x88\xB7 \xF0\x9F\x98\x80");
}

TEST(Utf16Test, LoneSurrogatesBecomeReplacementCharacters) {
  const char16_t high_alone[] = {u'x', 0xD800, u'y', 0};
  EXPECT_EQ(utf16ToUtf8(high_alone, 4), "x\xEF\xBF\xBDy");  // as WideCharToMultiByte(CP_UTF8)
  const char16_t low_alone[] = {0xDC00, 0};
  EXPECT_EQ(utf16ToUtf8(low_alone, 2), "\xEF\xBF\xBD");
  const char16_t high_at_end[] = {u'a', 0xD83D};  // the pair's second half lies past the array
  EXPECT_EQ(utf16ToUtf8(high_at_end, 2), "a\xEF\xBF\xBD");
}

TEST(Utf16Test, UnterminatedArraysStopAtTheirSize) {
  const char16_t full[4] = {u'a', u'b', u'c', u'd'};  // no NUL inside the array
  EXPECT_EQ(utf16ToUtf8(full, 4), "abcd");
  EXPECT_EQ(utf16ToUtf8(full, 2), "ab");
  EXPECT_EQ(utf16ToUtf8(nullptr, 10), "");
}

}  // namespace
}  // namespace rras
