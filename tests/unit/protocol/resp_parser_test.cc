#include "protocol/resp_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace strata::protocol {
namespace {

using ::testing::ElementsAre;
using Result = RequestParser::Result;

// Feeds `input` to a parser as a connection would: bytes arrive in pieces, consumed bytes are
// dropped from the front, and every complete command is collected.
struct Feed {
  std::vector<std::vector<std::string>> commands;
  std::string error;
};

Feed FeedInPieces(const std::string& input, const std::vector<size_t>& cuts,
                  ParserLimits limits = {}) {
  RequestParser parser(limits);
  Feed feed;
  std::string buffer;
  size_t prev = 0;
  std::vector<size_t> points = cuts;
  points.push_back(input.size());
  for (size_t cut : points) {
    buffer.append(input, prev, cut - prev);
    prev = cut;
    while (true) {
      size_t consumed = 0;
      std::vector<std::string_view> args;
      Result r = parser.Parse(buffer, &consumed, &args);
      if (r == Result::kError) {
        feed.error = parser.error();
        return feed;
      }
      if (r == Result::kNeedMore) break;
      if (!args.empty()) feed.commands.emplace_back(args.begin(), args.end());
      buffer.erase(0, consumed);
      if (buffer.empty()) break;
    }
  }
  return feed;
}

TEST(RespParser, EverySplitPointOfAPipelineYieldsTheSameCommands) {
  const std::string input =
      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhe\r\nl\r\n"  // a value that contains CRLF
      "PING\r\n"
      "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"
      "*0\r\n"
      "SET a \"b c\"\n";
  const std::vector<std::vector<std::string>> expected = {
      {"SET", "k", "he\r\nl"}, {"PING"}, {"ECHO", ""}, {"SET", "a", "b c"}};
  for (size_t i = 0; i <= input.size(); ++i) {
    for (size_t j = i; j <= input.size(); j += 7) {
      Feed f = FeedInPieces(input, {i, j});
      ASSERT_EQ(f.error, "") << "split at " << i << "," << j;
      ASSERT_EQ(f.commands, expected) << "split at " << i << "," << j;
    }
  }
}

TEST(RespParser, ByteAtATime) {
  const std::string input = "*2\r\n$3\r\nGET\r\n$10\r\n0123456789\r\n";
  std::vector<size_t> cuts;
  for (size_t i = 1; i < input.size(); ++i) cuts.push_back(i);
  Feed f = FeedInPieces(input, cuts);
  EXPECT_EQ(f.error, "");
  ASSERT_EQ(f.commands.size(), 1u);
  EXPECT_THAT(f.commands[0], ElementsAre("GET", "0123456789"));
}

TEST(RespParser, MalformedInputGetsRedisErrors) {
  EXPECT_EQ(FeedInPieces("*abc\r\n", {}).error, "Protocol error: invalid multibulk length");
  EXPECT_EQ(FeedInPieces("*1\r\n$-5\r\n", {}).error, "Protocol error: invalid bulk length");
  EXPECT_EQ(FeedInPieces("*1\r\n$abc\r\n", {}).error, "Protocol error: invalid bulk length");
  EXPECT_EQ(FeedInPieces("*1\r\nfoo\r\n", {}).error, "Protocol error: expected '$', got 'f'");
  EXPECT_EQ(FeedInPieces("SET a \"b\n", {}).error, "Protocol error: unbalanced quotes in request");
  EXPECT_EQ(FeedInPieces("SET a \"b\"c\n", {}).error,
            "Protocol error: unbalanced quotes in request");
  EXPECT_EQ(FeedInPieces("*+1\r\n", {}).error, "Protocol error: invalid multibulk length");
}

TEST(RespParser, LimitsAnswerAsRedis) {
  ParserLimits limits;
  limits.max_bulk_len = 10;
  EXPECT_EQ(FeedInPieces("*1\r\n$11\r\n", {}, limits).error, "Protocol error: invalid bulk length");
  EXPECT_EQ(FeedInPieces("*1\r\n$10\r\n0123456789\r\n", {}, limits).error, "");
  std::string long_line(70 * 1024, 'a');
  EXPECT_EQ(FeedInPieces(long_line, {}).error, "Protocol error: too big inline request");
  EXPECT_EQ(FeedInPieces("*" + long_line, {}).error, "Protocol error: too big mbulk count string");
  EXPECT_EQ(FeedInPieces("*1\r\n$" + long_line, {}).error,
            "Protocol error: too big bulk count string");
}

TEST(RespParser, LargeBulkReportsHowManyBytesItStillNeeds) {
  RequestParser parser;
  std::string head = "*2\r\n$3\r\nSET\r\n$1000000\r\nabc";
  size_t consumed = 0;
  std::vector<std::string_view> args;
  ASSERT_EQ(parser.Parse(head, &consumed, &args), Result::kNeedMore);
  EXPECT_EQ(parser.BytesWanted(), 1000000u - 3 + 2);
}

TEST(RespParser, EmptyInlineLinesAreSkipped) {
  Feed f = FeedInPieces("\r\n\nPING\r\n", {});
  EXPECT_EQ(f.error, "");
  ASSERT_EQ(f.commands.size(), 1u);
  EXPECT_THAT(f.commands[0], ElementsAre("PING"));
}

}  // namespace
}  // namespace strata::protocol
