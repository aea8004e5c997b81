#include "protocol/reply_builder.h"

#include <gtest/gtest.h>

#include "protocol/reply_reader.h"

namespace strata::protocol {
namespace {

TEST(ReplyBuilder, Resp2DegradesResp3Types) {
  std::string out;
  ReplyBuilder b(&out, 2);
  b.Null();
  b.NullArray();
  b.MapHeader(1);
  b.Bulk("k");
  b.Double(1.5);
  b.Bool(true);
  b.SetHeader(0);
  b.Verbatim("txt");
  EXPECT_EQ(out, "$-1\r\n*-1\r\n*2\r\n$1\r\nk\r\n$3\r\n1.5\r\n:1\r\n*0\r\n$3\r\ntxt\r\n");
}

TEST(ReplyBuilder, Resp3UsesItsOwnTypes) {
  std::string out;
  ReplyBuilder b(&out, 3);
  b.Null();
  b.MapHeader(1);
  b.Bulk("k");
  b.Double(1.5);
  b.Bool(false);
  b.SetHeader(2);
  b.PushHeader(3);
  b.Verbatim("hi");
  EXPECT_EQ(out, "_\r\n%1\r\n$1\r\nk\r\n,1.5\r\n#f\r\n~2\r\n>3\r\n=6\r\ntxt:hi\r\n");
}

TEST(ReplyBuilder, ErrorsCannotBreakFraming) {
  std::string out;
  ReplyBuilder b(&out, 2);
  b.Error("ERR bad\r\nthing");
  EXPECT_EQ(out, "-ERR bad  thing\r\n");
}

TEST(ReplyReader, RoundTripsNestedReplies) {
  std::string out;
  ReplyBuilder b(&out, 3);
  b.ArrayHeader(3);
  b.Integer(-7);
  b.Bulk(std::string("a\0b", 3));
  b.MapHeader(1);
  b.SimpleString("x");
  b.Null();
  ReplyValue v;
  ASSERT_EQ(ReadReply(out, &v), static_cast<int64_t>(out.size()));
  ASSERT_EQ(v.type, ReplyValue::Type::kArray);
  EXPECT_EQ(v.elements[0].integer, -7);
  EXPECT_EQ(v.elements[1].str, std::string("a\0b", 3));
  EXPECT_EQ(v.elements[2].type, ReplyValue::Type::kMap);
  EXPECT_EQ(ReadReply(out.substr(0, out.size() - 1), &v), 0);  // incomplete
}

}  // namespace
}  // namespace strata::protocol
