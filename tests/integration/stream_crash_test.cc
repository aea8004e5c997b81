// A producer and a consumer work a stream while the server is killed with kill -9 (queue
// profile, appendfsync always). After the restart: every XADD that was answered is there;
// every entry an answered XREADGROUP delivered is either still pending or was acknowledged by
// an answered XACK, and never pending after that XACK; the group's last-delivered ID covers
// every delivery, so XREADGROUP '>' never hands out an entry twice. At-least-once, exactly as
// acknowledged.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

using Id = std::pair<uint64_t, uint64_t>;

Id ParseId(const std::string& s) {
  size_t dash = s.find('-');
  return {std::stoull(s.substr(0, dash)), std::stoull(s.substr(dash + 1))};
}

struct Observed {
  std::mutex mu;
  std::set<Id> added;      // XADD answered
  std::set<Id> delivered;  // in an answered XREADGROUP '>'
  std::set<Id> ack_sent;   // named in an XACK that was sent
  std::set<Id> acked;      // ... and answered
  std::atomic<size_t> adds{0};
  std::atomic<size_t> acks{0};
};

void Produce(int port, Observed* o) {
  RespClient c(port, milliseconds(5000));
  for (int batch = 0;; ++batch) {
    std::string out;
    constexpr int kBatch = 20;
    for (int k = 0; k < kBatch; ++k) {
      out += RespClient::Encode({"XADD", "s", "*", "job", std::to_string(batch * kBatch + k)});
    }
    if (!c.SendRaw(out)) return;
    for (int k = 0; k < kBatch; ++k) {
      auto r = c.ReadReply();
      if (!r || r->type != ReplyValue::Type::kBulk) return;
      std::lock_guard<std::mutex> lock(o->mu);
      o->added.insert(ParseId(r->str));
      ++o->adds;
    }
  }
}

void Consume(int port, Observed* o) {
  RespClient c(port, milliseconds(5000));
  while (true) {
    if (!c.SendRaw(RespClient::Encode({"XREADGROUP", "GROUP", "g", "c1", "COUNT", "10", "BLOCK",
                                       "100", "STREAMS", "s", ">"}))) {
      return;
    }
    auto r = c.ReadReply();
    if (!r) return;
    if (r->type != ReplyValue::Type::kArray || r->elements.empty()) continue;  // timed out
    std::vector<std::string> ack = {"XACK", "s", "g"};
    {
      std::lock_guard<std::mutex> lock(o->mu);
      for (const ReplyValue& e : r->elements[0].elements[1].elements) {
        Id id = ParseId(e.elements[0].str);
        o->delivered.insert(id);
        // Acknowledge every other entry, so both kinds remain at the crash.
        if (id.second % 2 == 0 || id.first % 2 == 0) {
          o->ack_sent.insert(id);
          ack.push_back(e.elements[0].str);
        }
      }
    }
    if (ack.size() == 3) continue;
    if (!c.SendRaw(RespClient::Encode(ack))) return;
    auto a = c.ReadReply();
    if (!a || a->type != ReplyValue::Type::kInteger) return;
    std::lock_guard<std::mutex> lock(o->mu);
    for (size_t i = 3; i < ack.size(); ++i) o->acked.insert(ParseId(ack[i]));
    o->acks += ack.size() - 3;
  }
}

TEST(StreamCrash, ProducerAndConsumerKilledMidRunLoseNothingAcknowledged) {
  ServerProcess server(WithProfile("queue"));
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    ASSERT_EQ(Str(c.Command({"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"})), "OK");
  }
  Observed o;
  std::thread producer(Produce, server.port(), &o);
  std::thread consumer(Consume, server.port(), &o);
  EXPECT_TRUE(PollUntil([&] { return o.adds.load() >= 2000 && o.acks.load() >= 200; },
                        milliseconds(20000)));
  server.Kill9();
  producer.join();
  consumer.join();
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());

  std::set<Id> present;
  for (const ReplyValue& e : c.Command({"XRANGE", "s", "-", "+"}).elements) {
    present.insert(ParseId(e.elements[0].str));
  }
  std::set<Id> pending;
  for (const ReplyValue& p : c.Command({"XPENDING", "s", "g", "-", "+", "10000000"}).elements) {
    pending.insert(ParseId(p.elements[0].str));
    EXPECT_EQ(Str(p.elements[1]), "c1");
  }
  size_t missing = 0, lost_pending = 0, unacked = 0;
  for (const Id& id : o.added) missing += present.count(id) == 0;
  Id max_delivered{0, 0};
  for (const Id& id : o.delivered) {
    max_delivered = std::max(max_delivered, id);
    if (o.ack_sent.count(id) == 0) lost_pending += pending.count(id) == 0;
  }
  for (const Id& id : o.acked) unacked += pending.count(id);
  EXPECT_EQ(missing, 0u) << "answered XADDs missing after kill -9, of " << o.added.size();
  EXPECT_EQ(lost_pending, 0u) << "delivered, never acknowledged, and no longer pending";
  EXPECT_EQ(unacked, 0u) << "acknowledged (answered XACK) but pending again";

  ReplyValue groups = c.Command({"XINFO", "GROUPS", "s"});
  ASSERT_EQ(groups.elements.size(), 1u);
  const std::vector<ReplyValue>& g = groups.elements[0].elements;
  ASSERT_EQ(g.size(), 12u);
  EXPECT_GE(ParseId(Str(g[7])), max_delivered) << "last-delivered-id went backwards";
  // What '>' hands out now was never delivered before.
  ReplyValue next =
      c.Command({"XREADGROUP", "GROUP", "g", "c2", "COUNT", "1000000", "STREAMS", "s", ">"});
  if (!IsNil(next)) {
    for (const ReplyValue& e : next.elements[0].elements[1].elements) {
      EXPECT_EQ(o.delivered.count(ParseId(e.elements[0].str)), 0u) << e.elements[0].str;
    }
  }
}

}  // namespace
}  // namespace strata::testing
