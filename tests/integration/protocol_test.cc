// The wire protocol as clients see it, byte for byte as Redis 7.0: inline commands, pipelining,
// protocol errors (reply, then close, without disturbing other clients), size limits, HELLO,
// maxclients and the idle timeout.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// One server for the whole suite: these tests only read and write their own keys.
class ProtocolTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(WithProfile("session"));
    start_result_ = new ::testing::AssertionResult(server_->Start());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete start_result_;
    server_ = nullptr;
    start_result_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(*start_result_); }
  int port() const { return server_->port(); }

  // Sends raw bytes and expects exactly `reply` back followed by the server closing the socket.
  void ExpectProtocolErrorAndClose(const std::string& bytes, const std::string& reply) {
    RespClient c(port());
    ASSERT_TRUE(c.SendRaw(bytes));
    auto got = c.ReadReply();
    ASSERT_TRUE(got.has_value()) << c.last_error();
    EXPECT_EQ(got->type, ReplyValue::Type::kError);
    EXPECT_EQ(got->str, reply);
    EXPECT_TRUE(c.WaitForClose(milliseconds(5000))) << "connection left open after: " << reply;
    // Other clients are not affected.
    RespClient other(port());
    EXPECT_EQ(Str(other.Command({"PING"})), "PONG");
  }

  static ServerProcess* server_;
  static ::testing::AssertionResult* start_result_;
};
ServerProcess* ProtocolTest::server_ = nullptr;
::testing::AssertionResult* ProtocolTest::start_result_ = nullptr;

// ---- Inline commands --------------------------------------------------------------------------

TEST_F(ProtocolTest, InlinePing) {
  RespClient c(port());
  ASSERT_TRUE(c.SendRaw("PING\r\n"));
  auto r = c.ReadReply();
  ASSERT_TRUE(r.has_value()) << c.last_error();
  EXPECT_EQ(r->type, ReplyValue::Type::kSimple);
  EXPECT_EQ(r->str, "PONG");
}

TEST_F(ProtocolTest, InlineAcceptsBareNewlineAndSkipsEmptyLines) {
  RespClient c(port());
  ASSERT_TRUE(c.SendRaw("\r\n\r\nPING\nECHO hi\r\n"));
  auto a = c.ReadReply();
  auto b = c.ReadReply();
  ASSERT_TRUE(a && b) << c.last_error();
  EXPECT_EQ(a->str, "PONG");
  EXPECT_EQ(b->str, "hi");
}

TEST_F(ProtocolTest, InlineQuotedArguments) {
  RespClient c(port());
  ASSERT_TRUE(
      c.SendRaw("SET inline:a \"b c\"\r\nGET inline:a\r\n"
                "SET 'inline:x y' 'c\\'d'\r\nGET 'inline:x y'\r\n"
                "SET inline:hex \"\\x41\\n\"\r\nGET inline:hex\r\n"));
  std::vector<std::string> got;
  for (int i = 0; i < 6; ++i) {
    auto r = c.ReadReply();
    ASSERT_TRUE(r.has_value()) << c.last_error();
    got.push_back(r->str);
  }
  EXPECT_THAT(got, ElementsAre("OK", "b c", "OK", "c'd", "OK", "A\n"));
}

TEST_F(ProtocolTest, InlineUnbalancedQuotesIsAProtocolError) {
  ExpectProtocolErrorAndClose("SET a \"b\r\n", "ERR Protocol error: unbalanced quotes in request");
}

TEST_F(ProtocolTest, InlineClosingQuoteMustEndTheArgument) {
  ExpectProtocolErrorAndClose("ECHO \"a\"b\r\n",
                              "ERR Protocol error: unbalanced quotes in request");
}

// ---- Multibulk errors -------------------------------------------------------------------------

TEST_F(ProtocolTest, InvalidMultibulkLength) {
  ExpectProtocolErrorAndClose("*abc\r\n", "ERR Protocol error: invalid multibulk length");
}

TEST_F(ProtocolTest, MultibulkLengthTooLarge) {
  ExpectProtocolErrorAndClose("*3000000000\r\n", "ERR Protocol error: invalid multibulk length");
}

TEST_F(ProtocolTest, NegativeBulkLength) {
  ExpectProtocolErrorAndClose("*1\r\n$-5\r\n", "ERR Protocol error: invalid bulk length");
}

TEST_F(ProtocolTest, NonNumericBulkLength) {
  ExpectProtocolErrorAndClose("*1\r\n$abc\r\n", "ERR Protocol error: invalid bulk length");
}

TEST_F(ProtocolTest, MissingDollar) {
  ExpectProtocolErrorAndClose("*1\r\nfoo\r\n", "ERR Protocol error: expected '$', got 'f'");
}

TEST_F(ProtocolTest, RepliesBeforeTheErrorAreDelivered) {
  RespClient c(port());
  ASSERT_TRUE(c.SendRaw("PING\r\n*1\r\n$4\r\nPING\r\n*x\r\n"));
  auto a = c.ReadReply();
  auto b = c.ReadReply();
  auto err = c.ReadReply();
  ASSERT_TRUE(a && b && err) << c.last_error();
  EXPECT_EQ(a->str, "PONG");
  EXPECT_EQ(b->str, "PONG");
  EXPECT_EQ(err->str, "ERR Protocol error: invalid multibulk length");
  EXPECT_TRUE(c.WaitForClose(milliseconds(5000)));
}

TEST_F(ProtocolTest, EmptyAndNullMultibulkAreIgnored) {
  RespClient c(port());
  ASSERT_TRUE(c.SendRaw("*0\r\n*-1\r\nPING\r\n"));
  auto r = c.ReadReply();
  ASSERT_TRUE(r.has_value()) << c.last_error();
  EXPECT_EQ(r->str, "PONG");
  EXPECT_TRUE(c.Pending().empty()) << "extra bytes: " << c.Pending();
}

TEST_F(ProtocolTest, BulkLongerThanProtoMaxBulkLenIsRejected) {
  // The default proto-max-bulk-len is 512 MB.
  ExpectProtocolErrorAndClose("*2\r\n$3\r\nGET\r\n$600000000\r\n",
                              "ERR Protocol error: invalid bulk length");
}

// ---- Pipelining and large arguments -----------------------------------------------------------

TEST_F(ProtocolTest, PipelinedCommandsReplyInOrder) {
  RespClient c(port());
  std::vector<std::vector<std::string>> cmds;
  for (int i = 0; i < 1000; ++i) {
    cmds.push_back({"SET", "pipe:" + std::to_string(i), std::to_string(i)});
    cmds.push_back({"INCR", "pipe:counter"});
    cmds.push_back({"GET", "pipe:" + std::to_string(i)});
  }
  std::vector<ReplyValue> replies = c.Pipeline(cmds);
  ASSERT_EQ(replies.size(), cmds.size());
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(Str(replies[3 * i]), "OK");
    EXPECT_EQ(replies[3 * i + 1].integer, i + 1);
    EXPECT_EQ(Str(replies[3 * i + 2]), std::to_string(i));
  }
}

TEST_F(ProtocolTest, PipelineMixingInlineAndMultibulkAndErrors) {
  RespClient c(port());
  ASSERT_TRUE(c.SendRaw("SET mix 1\r\n" + RespClient::Encode({"INCR", "mix"}) + "NOSUCHCMD\r\n" +
                        RespClient::Encode({"GET", "mix"})));
  std::vector<std::string> got;
  for (int i = 0; i < 4; ++i) {
    auto r = c.ReadReply();
    ASSERT_TRUE(r.has_value()) << c.last_error();
    got.push_back(Str(*r));
  }
  EXPECT_THAT(got, ElementsAre("OK", ":2",
                               "ERR unknown command 'NOSUCHCMD', with args beginning with: ", "2"));
}

TEST_F(ProtocolTest, CommandSplitByteByByte) {
  RespClient c(port());
  std::string bytes = RespClient::Encode({"SET", "split", "value"}) + "PING\r\n";
  for (char ch : bytes) ASSERT_TRUE(c.SendRaw(std::string(1, ch)));
  auto a = c.ReadReply();
  auto b = c.ReadReply();
  ASSERT_TRUE(a && b) << c.last_error();
  EXPECT_EQ(a->str, "OK");
  EXPECT_EQ(b->str, "PONG");
}

TEST_F(ProtocolTest, FiftyMegabyteArgumentArrivesIntact) {
  RespClient c(port(), milliseconds(60000));
  const size_t size = 50u * 1024 * 1024;
  std::string value = MakeValue(size, 50);
  std::string cmd = RespClient::Encode({"SET", "big", value});
  // Many writes of uneven sizes, so the argument crosses every kind of read boundary.
  size_t pos = 0, step = 1;
  while (pos < cmd.size()) {
    size_t n = std::min(cmd.size() - pos, step);
    ASSERT_TRUE(c.SendRaw(std::string_view(cmd).substr(pos, n))) << c.last_error();
    pos += n;
    step = step * 3 + 7;
    if (step > 1'000'000) step = 4093;
  }
  auto set = c.ReadReply();
  ASSERT_TRUE(set.has_value()) << c.last_error();
  EXPECT_EQ(Str(*set), "OK");
  EXPECT_EQ(c.Command({"STRLEN", "big"}).integer, static_cast<int64_t>(size));
  ReplyValue got = c.Command({"GET", "big"});
  EXPECT_TRUE(got.str == value) << "50 MB value came back different (size " << got.str.size()
                                << ")";
  EXPECT_EQ(c.Command({"DEL", "big"}).integer, 1);
}

TEST_F(ProtocolTest, BinarySafeKeysAndValues) {
  RespClient c(port());
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  std::string key = std::string("k\0\r\n ", 5);
  EXPECT_EQ(Str(c.Command({"SET", key, all})), "OK");
  EXPECT_EQ(Str(c.Command({"GET", key})), all);
  EXPECT_EQ(Str(c.Command({"SET", "empty", ""})), "OK");
  ReplyValue empty = c.Command({"GET", "empty"});
  EXPECT_EQ(empty.type, ReplyValue::Type::kBulk);
  EXPECT_EQ(empty.str, "");
}

// ---- HELLO ------------------------------------------------------------------------------------

TEST_F(ProtocolTest, Hello3ReturnsAMapAndSwitchesToResp3) {
  RespClient c(port());
  ReplyValue hello = c.Command({"HELLO", "3"});
  ASSERT_EQ(hello.type, ReplyValue::Type::kMap) << hello.DebugString();
  ASSERT_EQ(hello.elements.size(), 14u) << hello.DebugString();
  std::vector<std::string> keys;
  for (size_t i = 0; i < hello.elements.size(); i += 2) keys.push_back(Str(hello.elements[i]));
  EXPECT_THAT(keys, ElementsAre("server", "version", "proto", "id", "mode", "role", "modules"));
  EXPECT_EQ(Str(hello.elements[1]), "redis");
  EXPECT_THAT(Str(hello.elements[3]), StartsWith("7.0."));
  EXPECT_EQ(hello.elements[5].integer, 3);
  EXPECT_EQ(hello.elements[7].type, ReplyValue::Type::kInteger);
  EXPECT_GT(hello.elements[7].integer, 0);
  EXPECT_EQ(Str(hello.elements[9]), "standalone");
  EXPECT_EQ(Str(hello.elements[11]), "master");
  EXPECT_EQ(hello.elements[13].type, ReplyValue::Type::kArray);
  EXPECT_TRUE(hello.elements[13].elements.empty());

  // RESP3 from now on: a missing key is the RESP3 null "_\r\n", not "$-1\r\n".
  ASSERT_TRUE(c.SendRaw(RespClient::Encode({"GET", "hello:missing"})));
  EXPECT_EQ(c.ReadRaw(3).value_or(c.last_error()), "_\r\n");
}

TEST_F(ProtocolTest, Hello2ReturnsAFlatArray) {
  RespClient c(port());
  ReplyValue hello = c.Command({"HELLO", "2"});
  ASSERT_EQ(hello.type, ReplyValue::Type::kArray) << hello.DebugString();
  ASSERT_EQ(hello.elements.size(), 14u);
  EXPECT_EQ(Str(hello.elements[0]), "server");
  EXPECT_EQ(hello.elements[5].integer, 2);
  ASSERT_TRUE(c.SendRaw(RespClient::Encode({"GET", "hello:missing"})));
  EXPECT_EQ(c.ReadRaw(5).value_or(c.last_error()), "$-1\r\n");
}

TEST_F(ProtocolTest, HelloIdsDifferPerConnection) {
  RespClient a(port());
  RespClient b(port());
  ReplyValue ha = a.Command({"HELLO", "3"});
  ReplyValue hb = b.Command({"HELLO", "3"});
  ASSERT_EQ(ha.elements.size(), 14u);
  ASSERT_EQ(hb.elements.size(), 14u);
  EXPECT_NE(ha.elements[7].integer, hb.elements[7].integer);
  EXPECT_EQ(a.Command({"CLIENT", "ID"}).integer, ha.elements[7].integer);
}

TEST_F(ProtocolTest, HelloUnsupportedVersions) {
  RespClient c(port());
  EXPECT_EQ(Str(c.Command({"HELLO", "4"})), "NOPROTO unsupported protocol version");
  EXPECT_EQ(Str(c.Command({"HELLO", "1"})), "NOPROTO unsupported protocol version");
  EXPECT_EQ(Str(c.Command({"HELLO", "abc"})),
            "ERR Protocol version is not an integer or out of range");
  // Still RESP2 and still connected.
  EXPECT_EQ(Str(c.Command({"PING"})), "PONG");
}

TEST_F(ProtocolTest, HelloWithSetname) {
  RespClient c(port());
  ReplyValue hello = c.Command({"HELLO", "2", "SETNAME", "worker-1"});
  ASSERT_EQ(hello.type, ReplyValue::Type::kArray) << hello.DebugString();
  EXPECT_EQ(Str(c.Command({"CLIENT", "GETNAME"})), "worker-1");
}

// ---- Limits that need their own server --------------------------------------------------------

TEST(ProtocolLimits, ProtoMaxBulkLenDirective) {
  ServerProcess server(WithProfile("session", {"--proto-max-bulk-len", "1mb"}));
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    EXPECT_EQ(Str(c.Command({"SET", "fits", std::string(1024 * 1024, 'x')})), "OK");
    EXPECT_EQ(c.Command({"STRLEN", "fits"}).integer, 1024 * 1024);
  }
  RespClient c(server.port());
  ASSERT_TRUE(c.SendRaw("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$1048577\r\n"));
  auto r = c.ReadReply();
  ASSERT_TRUE(r.has_value()) << c.last_error();
  EXPECT_EQ(r->str, "ERR Protocol error: invalid bulk length");
  EXPECT_TRUE(c.WaitForClose(milliseconds(5000)));
  // APPEND and SETRANGE stop at the same limit.
  RespClient d(server.port());
  EXPECT_EQ(Str(d.Command({"SETRANGE", "fits", "1048576", "x"})),
            "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  EXPECT_EQ(Str(d.Command({"APPEND", "fits", "x"})),
            "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
}

TEST(ProtocolLimits, MaxclientsRefusesTheThirdConnection) {
  ServerProcess server(WithProfile("session", {"--maxclients", "2"}));
  ASSERT_TRUE(server.Start());
  RespClient a(server.port());
  RespClient b(server.port());
  EXPECT_EQ(Str(a.Command({"PING"})), "PONG");
  EXPECT_EQ(Str(b.Command({"PING"})), "PONG");
  {
    RespClient c(server.port());
    ASSERT_TRUE(c.connected()) << c.last_error();
    auto r = c.ReadReply();  // sent by the server without any request
    ASSERT_TRUE(r.has_value()) << c.last_error();
    EXPECT_EQ(r->str, "ERR max number of clients reached");
    EXPECT_TRUE(c.WaitForClose(milliseconds(5000)));
  }
  // The refused client did not take a slot; when one leaves, a new one is served.
  b.Close();
  bool served = PollUntil(
      [&] {
        RespClient d(server.port(), milliseconds(2000));
        if (!d.SendRaw(RespClient::Encode({"PING"}))) return false;
        auto r = d.ReadReply();
        return r.has_value() && r->str == "PONG";
      },
      milliseconds(5000), milliseconds(50));
  EXPECT_TRUE(served);
  EXPECT_EQ(Str(a.Command({"PING"})), "PONG");
}

TEST(ProtocolLimits, IdleTimeoutClosesIdleClients) {
  ServerProcess server(WithProfile("session", {"--timeout", "1"}));
  ASSERT_TRUE(server.Start());
  RespClient idle(server.port());
  EXPECT_EQ(Str(idle.Command({"PING"})), "PONG");
  // Redis checks idleness about once a second, so closing may take up to ~2-3 s.
  EXPECT_TRUE(idle.WaitForClose(milliseconds(10000))) << "idle client still open after 10 s";
  RespClient fresh(server.port());
  EXPECT_EQ(Str(fresh.Command({"PING"})), "PONG");
  EXPECT_EQ(InfoField(fresh, "clients", "connected_clients"), "1");
}

}  // namespace
}  // namespace strata::testing
