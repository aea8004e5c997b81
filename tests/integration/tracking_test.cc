// CLIENT TRACKING against the real server, for what the byte-for-byte comparison with
// redis-server (tests/tracking/, tracking_diff.py) cannot pin down: CLIENT LIST's varying
// lines, and invalidations caused by time (expiry) rather than by a command.
#include <gtest/gtest.h>

#include <string>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

std::string FieldOf(const std::string& line, const std::string& name) {
  auto at = line.find(" " + name + "=");
  if (at == std::string::npos) return "(missing)";
  at += name.size() + 2;
  return line.substr(at, line.find(' ', at) - at);
}

TEST(Tracking, ClientListShowsTrackingFlagsAndRedirect) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient a(server.port()), target(server.port());
  EXPECT_EQ(FieldOf(Str(a.Command({"CLIENT", "INFO"})), "redir"), "-1");
  ASSERT_EQ(Str(a.Command({"CLIENT", "TRACKING", "ON", "BCAST"})), "OK");
  std::string info = Str(a.Command({"CLIENT", "INFO"}));
  EXPECT_EQ(FieldOf(info, "flags"), "tB");
  EXPECT_EQ(FieldOf(info, "redir"), "0");
  const int64_t target_id = target.Command({"CLIENT", "ID"}).integer;
  ASSERT_EQ(Str(a.Command({"CLIENT", "TRACKING", "OFF"})), "OK");
  ASSERT_EQ(Str(a.Command({"CLIENT", "TRACKING", "ON", "REDIRECT", std::to_string(target_id)})),
            "OK");
  info = Str(a.Command({"CLIENT", "INFO"}));
  EXPECT_EQ(FieldOf(info, "flags"), "t");
  EXPECT_EQ(FieldOf(info, "redir"), std::to_string(target_id));
  // The target leaves; the next invalidation finds it gone and marks the tracker (R).
  target.Close();
  ASSERT_TRUE(a.Command({"GET", "k"}).type == ReplyValue::Type::kNull);
  RespClient writer(server.port());
  ASSERT_EQ(Str(writer.Command({"SET", "k", "v"})), "OK");
  EXPECT_EQ(FieldOf(Str(a.Command({"CLIENT", "INFO"})), "flags"), "tR");
  std::string stats = Str(writer.Command({"INFO", "clients"}));
  EXPECT_NE(stats.find("tracking_clients:1"), std::string::npos) << stats;
}

// A cached value must not outlive its TTL: expiry invalidates as a write does, with nobody
// touching the key.
TEST(Tracking, ExpiryInvalidatesATrackedKey) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient setter(server.port());
  ASSERT_EQ(Str(setter.Command({"SET", "session:1", "alice", "PX", "300"})), "OK");
  RespClient cache(server.port(), milliseconds(20000));
  ASSERT_EQ(cache.Command({"HELLO", "3"}).type, ReplyValue::Type::kMap);
  ASSERT_EQ(Str(cache.Command({"CLIENT", "TRACKING", "ON"})), "OK");
  ASSERT_EQ(Str(cache.Command({"GET", "session:1"})), "alice");
  auto push = cache.ReadReply();  // active expiry's invalidation, unprompted
  ASSERT_TRUE(push.has_value()) << cache.last_error();
  ASSERT_EQ(push->type, ReplyValue::Type::kPush) << push->DebugString();
  ASSERT_EQ(push->elements.size(), 2u);
  EXPECT_EQ(Str(push->elements[0]), "invalidate");
  ASSERT_EQ(push->elements[1].elements.size(), 1u);
  EXPECT_EQ(Str(push->elements[1].elements[0]), "session:1");
}

// The table of tracked keys is bounded (tracking-table-max-keys): a key pushed out is
// invalidated, so no client keeps a value the server no longer watches.
TEST(Tracking, TheKeyTableIsBoundedAndAForgottenKeyIsInvalidated) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  ASSERT_EQ(Str(c.Command({"CONFIG", "SET", "tracking-table-max-keys", "1"})), "OK");
  ASSERT_EQ(c.Command({"HELLO", "3"}).type, ReplyValue::Type::kMap);
  ASSERT_EQ(Str(c.Command({"CLIENT", "TRACKING", "ON"})), "OK");
  ASSERT_EQ(c.Command({"GET", "first"}).type, ReplyValue::Type::kNull);
  ASSERT_TRUE(c.SendRaw(RespClient::Encode({"GET", "second"})));
  bool invalidated = false, answered = false;
  for (int i = 0; i < 2; ++i) {
    auto r = c.ReadReply();
    ASSERT_TRUE(r.has_value()) << c.last_error();
    if (r->type == ReplyValue::Type::kPush) {
      ASSERT_EQ(r->elements.size(), 2u);
      EXPECT_EQ(Str(r->elements[0]), "invalidate");
      ASSERT_EQ(r->elements[1].elements.size(), 1u);
      EXPECT_EQ(Str(r->elements[1].elements[0]), "first");
      invalidated = true;
    } else {
      EXPECT_EQ(r->type, ReplyValue::Type::kNull);
      answered = true;
    }
  }
  EXPECT_TRUE(invalidated && answered);
  RespClient other(server.port());
  EXPECT_EQ(InfoField(other, "stats", "tracking_total_keys"), "1");
}

}  // namespace
}  // namespace strata::testing
