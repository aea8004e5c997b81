#include "common/split_args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace strata {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(SplitQuotedArgs, PlainWordsAndQuotes) {
  EXPECT_THAT(*SplitQuotedArgs("  port   6379  "), ElementsAre("port", "6379"));
  EXPECT_THAT(*SplitQuotedArgs(R"(logfile "/var/log/my strata.log")"),
              ElementsAre("logfile", "/var/log/my strata.log"));
  EXPECT_THAT(*SplitQuotedArgs("logfile 'it\\'s here'"), ElementsAre("logfile", "it's here"));
  EXPECT_THAT(*SplitQuotedArgs(R"(save "")"), ElementsAre("save", ""));
  EXPECT_THAT(*SplitQuotedArgs(R"(x "a\tb\x41\"")"), ElementsAre("x", "a\tbA\""));
  EXPECT_THAT(*SplitQuotedArgs(R"(set "a\x41\n" 'it\'s' plain)"),
              ElementsAre("set", "aA\n", "it's", "plain"));
  // Single quotes keep backslashes other than \' literally.
  EXPECT_THAT(*SplitQuotedArgs(R"(x 'a\nb')"), ElementsAre("x", "a\\nb"));
  // A quote may open in the middle of a word.
  EXPECT_THAT(*SplitQuotedArgs(R"(ab"c d" e)"), ElementsAre("abc d", "e"));
  EXPECT_THAT(*SplitQuotedArgs("   "), IsEmpty());
  EXPECT_THAT(*SplitQuotedArgs(""), IsEmpty());
}

TEST(SplitQuotedArgs, RefusesUnbalancedQuotes) {
  EXPECT_FALSE(SplitQuotedArgs(R"(port "6379)").has_value());
  EXPECT_FALSE(SplitQuotedArgs("port '6379").has_value());
  EXPECT_FALSE(SplitQuotedArgs("'open").has_value());
  EXPECT_FALSE(SplitQuotedArgs(R"(port "63"79)").has_value());
  EXPECT_FALSE(SplitQuotedArgs(R"(x "ends in a backslash\)").has_value());
}

}  // namespace
}  // namespace strata
