// Stream commands in-process, in both profiles, with replies as Redis 7.0 gives them (the
// differential corpus tests/resp/stream*.txt covers the error texts more widely); blocking
// reads through the BlockRequest they leave in the session and a fake clock; a big stream on
// the on-disk path, and groups with their pending lists across a reopen.
#include <string>
#include <vector>

#include "command_fixture.h"
#include "types/stream.h"
#include "types/stream_retention.h"

namespace strata::commands::testing {
namespace {

constexpr char kWrongType[] = "-WRONGTYPE Operation against a key holding the wrong kind of value";

class StreamCommandsTest : public ProfileTest {
 protected:
  // Runs `args` as the server runs a blocked command again: same session, same arguments.
  std::string Rerun(const std::vector<std::string>& args) { return Run(args); }
  bool Blocked() { return f_.session().block.active; }
  void ClearBlock() { f_.session().block = BlockRequest(); }
};

TEST_P(StreamCommandsTest, AddIdsAndTheirEdges) {
  EXPECT_EQ(Run({"xadd", "s", "0-0", "f", "v"}),
            "-ERR The ID specified in XADD must be greater than 0-0");
  EXPECT_EQ(Run({"exists", "s"}), ":0") << "0-0 is refused before the key is created";
  EXPECT_EQ(Run({"xadd", "s", "5-1", "a", "1"}), "\"5-1\"");
  EXPECT_EQ(Run({"xadd", "s", "5-2", "b", "2"}), "\"5-2\"");
  EXPECT_EQ(Run({"xdel", "s", "5-2"}), ":1");
  EXPECT_EQ(Run({"xadd", "s", "5-2", "c", "3"}),
            "-ERR The ID specified in XADD is equal or smaller than the target stream top item");
  EXPECT_EQ(Run({"xadd", "s", "5-*", "c", "3"}), "\"5-3\"");
  EXPECT_EQ(Run({"xadd", "s", "abc", "c", "3"}),
            "-ERR Invalid stream ID specified as stream command argument");
  EXPECT_EQ(Run({"xadd", "s", "NOMKSTREAM", "9-1", "f"}),
            "-ERR wrong number of arguments for 'xadd' command");
  EXPECT_EQ(Run({"xadd", "nope", "NOMKSTREAM", "*", "f", "v"}), "(nil)");
  EXPECT_EQ(Run({"exists", "nope"}), ":0");
  // '*' uses the clock, but never goes below the last ID.
  f_.clock().SetMs(1000);
  EXPECT_EQ(Run({"xadd", "t", "*", "f", "v"}), "\"1000-0\"");
  EXPECT_EQ(Run({"xadd", "t", "*", "f", "v"}), "\"1000-1\"");
  f_.clock().SetMs(10);
  EXPECT_EQ(Run({"xadd", "t", "*", "f", "v"}), "\"1000-2\"");
  EXPECT_EQ(Run({"xsetid", "t", "18446744073709551615-18446744073709551615"}), "+OK");
  EXPECT_EQ(Run({"xadd", "t", "*", "f", "v"}),
            "-ERR The stream has exhausted the last possible ID, unable to add more items");
  EXPECT_EQ(Run({"set", "str", "v"}), "+OK");
  EXPECT_EQ(Run({"xadd", "str", "*", "f", "v"}), kWrongType);
  EXPECT_EQ(Run({"type", "s"}), "+stream");
  EXPECT_EQ(Run({"object", "encoding", "s"}), "\"stream\"");
}

TEST_P(StreamCommandsTest, RangesTrimsAndAnEmptyStreamThatStays) {
  for (int i = 1; i <= 5; ++i) {
    Run({"xadd", "s", std::to_string(i) + "-1", "f", std::to_string(i)});
  }
  EXPECT_EQ(Run({"xrange", "s", "(1-1", "(3-1"}), "[[\"2-1\", [\"f\", \"2\"]]]");
  EXPECT_EQ(Run({"xrevrange", "s", "+", "-", "COUNT", "1"}), "[[\"5-1\", [\"f\", \"5\"]]]");
  EXPECT_EQ(Run({"xrange", "s", "-", "+", "COUNT", "0"}), "(nil)");
  EXPECT_EQ(Run({"xrange", "s", "(18446744073709551615-18446744073709551615", "+"}),
            "-ERR invalid start ID for the interval");
  EXPECT_EQ(Run({"xtrim", "s", "MAXLEN", "2"}), ":3");
  EXPECT_EQ(Run({"xrange", "s", "-", "+"}),
            "[[\"4-1\", [\"f\", \"4\"]], [\"5-1\", [\"f\", \"5\"]]]");
  EXPECT_EQ(Run({"xadd", "s", "MINID", "6", "6-1", "f", "6"}), "\"6-1\"");
  EXPECT_EQ(Run({"xlen", "s"}), ":1");
  EXPECT_EQ(Run({"xdel", "s", "6-1"}), ":1");
  EXPECT_EQ(Run({"exists", "s"}), ":1") << "an empty stream is kept, as in Redis";
  EXPECT_EQ(Run({"xlen", "s"}), ":0");
  EXPECT_EQ(Run({"xadd", "s", "6-1", "f", "v"}),
            "-ERR The ID specified in XADD is equal or smaller than the target stream top item");
  EXPECT_EQ(Run3({"xinfo", "stream", "s"}),
            "%[\"length\", :0, \"radix-tree-keys\", :0, \"radix-tree-nodes\", :1, "
            "\"last-generated-id\", \"6-1\", \"max-deleted-entry-id\", \"6-1\", "
            "\"entries-added\", :6, \"recorded-first-entry-id\", \"0-0\", \"groups\", :0, "
            "\"first-entry\", (nil), \"last-entry\", (nil)]");
  // Generic commands see the stream as one key.
  EXPECT_EQ(Run({"xadd", "c", "1-1", "f", "v"}), "\"1-1\"");
  EXPECT_EQ(Run({"copy", "c", "c2"}), ":1");
  EXPECT_EQ(Run({"rename", "c2", "c3"}), "+OK");
  EXPECT_EQ(Run({"xrange", "c3", "-", "+"}), "[[\"1-1\", [\"f\", \"v\"]]]");
  EXPECT_EQ(Run({"xadd", "c3", "1-1", "f", "v"}),
            "-ERR The ID specified in XADD is equal or smaller than the target stream top item")
      << "the copy keeps the last ID";
  EXPECT_EQ(Run({"expire", "c3", "10"}), ":1");
  f_.clock().AdvanceMs(11000);
  EXPECT_EQ(Run({"exists", "c3"}), ":0");
}

TEST_P(StreamCommandsTest, XReadRepliesAndResp3Map) {
  Run({"xadd", "a", "1-1", "f", "1"});
  Run({"xadd", "b", "2-1", "g", "2"});
  EXPECT_EQ(Run({"xread", "STREAMS", "a", "b", "0", "0"}),
            "[[\"a\", [[\"1-1\", [\"f\", \"1\"]]]], [\"b\", [[\"2-1\", [\"g\", \"2\"]]]]]");
  EXPECT_EQ(Run3({"xread", "COUNT", "1", "STREAMS", "a", "0"}),
            "%[\"a\", [[\"1-1\", [\"f\", \"1\"]]]]");
  EXPECT_EQ(Run({"xread", "STREAMS", "a", "$"}), "(nil)");
  EXPECT_EQ(Run({"xread", "STREAMS", "a", ">"}),
            "-ERR The > ID can be specified only when calling XREADGROUP using the GROUP "
            "<group> <consumer> option.");
  EXPECT_EQ(Run({"xread", "STREAMS", "a", "b", "0"}),
            "-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
            "specified.");
}

TEST_P(StreamCommandsTest, BlockedXReadOnDollarReadsPastWhatItSaw) {
  Run({"xadd", "s", "1-1", "f", "1"});
  const std::vector<std::string> read = {"xread", "BLOCK", "1000", "STREAMS", "s", "$"};
  EXPECT_EQ(RunRaw(read), "") << "blocked: no reply yet";
  ASSERT_TRUE(Blocked());
  EXPECT_EQ(f_.session().block.keys, std::vector<std::string>{"s"});
  EXPECT_EQ(f_.session().block.deadline_ms, NowMs() + 1000);
  ClearBlock();
  Run({"xadd", "s", "2-1", "f", "2"});
  // The server runs the command again: '$' still means 1-1, the last ID when it blocked.
  EXPECT_EQ(Rerun(read), "[[\"s\", [[\"2-1\", [\"f\", \"2\"]]]]]");
  EXPECT_FALSE(Blocked());
  // A new command after the deadline is new: '$' is the last ID again.
  EXPECT_EQ(RunRaw(read), "");
  ASSERT_TRUE(Blocked());
  ClearBlock();
  AdvanceMs(1000);
  EXPECT_EQ(RunRaw(read), "") << "past the deadline this is a new XREAD, blocking on 2-1";
  ClearBlock();
}

TEST_P(StreamCommandsTest, GroupsDeliverOnceAndPendingIsExact) {
  for (int i = 1; i <= 3; ++i) {
    Run({"xadd", "s", std::to_string(i) + "-1", "f", std::to_string(i)});
  }
  EXPECT_EQ(Run({"xgroup", "create", "s", "g", "0"}), "+OK");
  EXPECT_EQ(Run({"xgroup", "create", "s", "g", "0"}),
            "-BUSYGROUP Consumer Group name already exists");
  EXPECT_EQ(Run({"xreadgroup", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "s", ">"}),
            "[[\"s\", [[\"1-1\", [\"f\", \"1\"]]]]]");
  AdvanceMs(50);
  EXPECT_EQ(Run({"xreadgroup", "GROUP", "g", "c2", "STREAMS", "s", ">"}),
            "[[\"s\", [[\"2-1\", [\"f\", \"2\"]], [\"3-1\", [\"f\", \"3\"]]]]]");
  EXPECT_EQ(Run({"xreadgroup", "GROUP", "g", "c1", "STREAMS", "s", ">"}), "(nil)");
  AdvanceMs(10);
  EXPECT_EQ(Run({"xpending", "s", "g"}),
            "[:3, \"1-1\", \"3-1\", [[\"c1\", \"1\"], [\"c2\", \"2\"]]]");
  EXPECT_EQ(Run({"xpending", "s", "g", "-", "+", "10"}),
            "[[\"1-1\", \"c1\", :60, :1], [\"2-1\", \"c2\", :10, :1], [\"3-1\", \"c2\", :10, :1]]");
  EXPECT_EQ(Run({"xpending", "s", "g", "IDLE", "20", "-", "+", "10"}),
            "[[\"1-1\", \"c1\", :60, :1]]");
  EXPECT_EQ(Run({"xpending", "s", "g", "2-1", "3-1", "10", "c2"}),
            "[[\"2-1\", \"c2\", :10, :1], [\"3-1\", \"c2\", :10, :1]]")
      << "inclusive at both ends";
  // History: only the caller's entries, [id, nil] for a deleted one, counts bumped only for
  // entries that still exist.
  EXPECT_EQ(Run({"xdel", "s", "2-1"}), ":1");
  EXPECT_EQ(Run({"xreadgroup", "GROUP", "g", "c2", "STREAMS", "s", "0"}),
            "[[\"s\", [[\"2-1\", (nil)], [\"3-1\", [\"f\", \"3\"]]]]]");
  EXPECT_EQ(Run({"xpending", "s", "g", "-", "+", "10", "c2"}),
            "[[\"2-1\", \"c2\", :10, :1], [\"3-1\", \"c2\", :0, :2]]");
  EXPECT_EQ(Run({"xack", "s", "g", "1-1", "1-1", "9-9"}), ":1") << "the same ID counts once";
  // XCLAIM drops deleted entries, JUSTID does not bump, the time is refreshed for the owner.
  AdvanceMs(100);
  EXPECT_EQ(Run({"xclaim", "s", "g", "c2", "0", "2-1", "3-1", "JUSTID"}), "[\"3-1\"]");
  EXPECT_EQ(Run({"xpending", "s", "g", "-", "+", "10"}), "[[\"3-1\", \"c2\", :0, :2]]");
  AdvanceMs(100);
  EXPECT_EQ(Run({"xautoclaim", "s", "g", "c3", "50", "0"}),
            "[\"0-0\", [[\"3-1\", [\"f\", \"3\"]]], []]");
  EXPECT_EQ(Run({"xpending", "s", "g", "-", "+", "10"}), "[[\"3-1\", \"c3\", :0, :3]]");
  EXPECT_EQ(Run3({"xinfo", "groups", "s"}),
            "[%[\"name\", \"g\", \"consumers\", :3, \"pending\", :1, "
            "\"last-delivered-id\", \"3-1\", \"entries-read\", :3, \"lag\", :0]]");
  EXPECT_EQ(Run({"xgroup", "delconsumer", "s", "g", "c3"}), ":1");
  EXPECT_EQ(Run({"xpending", "s", "g"}), "[:0, (nil), (nil), (nil)]");
}

TEST_P(StreamCommandsTest, BlockedXReadGroupIsServedOnceAndLearnsOfADestroyedGroup) {
  Run({"xgroup", "create", "s", "g", "$", "MKSTREAM"});
  const std::vector<std::string> read = {"xreadgroup", "GROUP",   "g", "c", "BLOCK",
                                         "0",          "STREAMS", "s", ">"};
  EXPECT_EQ(RunRaw(read), "");
  ASSERT_TRUE(Blocked());
  EXPECT_EQ(f_.session().block.wanted, storage::ValueType::kStream);
  ClearBlock();
  Run({"xadd", "s", "1-1", "f", "v"});
  EXPECT_EQ(Rerun(read), "[[\"s\", [[\"1-1\", [\"f\", \"v\"]]]]]");
  // A second waiter re-run finds nothing new and keeps waiting (first come, first served).
  EXPECT_EQ(RunRaw(read), "");
  ASSERT_TRUE(Blocked());
  ClearBlock();
  EXPECT_EQ(Run({"xgroup", "destroy", "s", "g"}), ":1");
  EXPECT_EQ(Rerun(read), "-NOGROUP the consumer group this client was blocked on no longer exists");
}

TEST_P(StreamCommandsTest, InfoStreamsShowsEachGroupsBacklog) {
  Run({"xadd", "s", "1-1", "f", "v"});
  Run({"xadd", "s", "2-1", "f", "v"});
  Run({"xgroup", "create", "s", "g", "0"});
  Run({"xgroup", "create", "s", "odd name,=:", "$"});
  Run({"xreadgroup", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"});
  Run({"set", "str", "v"});
  const std::string info = f_.Call({"info", "streams"}).str;
  EXPECT_NE(info.find("# Streams\r\nstreams:1\r\nstream_groups:2\r\nstream_pending:1\r\n"),
            std::string::npos)
      << info;
  EXPECT_NE(info.find("key=s,group=g,lag=1,pending=1,consumers=1,last_delivered_id=1-1\r\n"),
            std::string::npos)
      << info;
  EXPECT_NE(info.find("group=odd%20name%2C%3D%3A,lag=0,pending=0,consumers=0"), std::string::npos)
      << info;
  EXPECT_EQ(f_.Call({"info"}).str.find("# Streams"), std::string::npos)
      << "it walks every stream key: only when asked for";
}

TEST_P(StreamCommandsTest, RetentionTrimsOldEntriesInTheBackground) {
  const int64_t now = NowMs();
  auto id = [](int64_t ms) { return std::to_string(ms) + "-0"; };
  for (int64_t age : {9000, 6000, 3000, 1000}) Run({"xadd", "s", id(now - age), "f", "v"});
  for (int64_t age : {9000, 1000}) Run({"xadd", "t", id(now - age), "f", "v"});
  EXPECT_EQ(Run({"xretention", "s"}), ":-1") << "the server default";
  EXPECT_EQ(Run({"xretention", "s", "5000"}), "+OK");
  EXPECT_EQ(Run({"xretention", "s"}), ":5000");
  EXPECT_EQ(Run({"xretention", "s", "-2"}),
            "-ERR retention must be -1 (the server default), 0 (keep everything) or milliseconds");
  EXPECT_EQ(Run({"xretention", "s", "abc"}), "-ERR value is not an integer or out of range");
  EXPECT_EQ(Run({"xretention", "missing", "5"}), "-ERR no such key");
  EXPECT_EQ(Run({"set", "str", "v"}), "+OK");
  EXPECT_EQ(Run({"xretention", "str"}), kWrongType);

  types::StreamRetention retention;
  f_.ks().SetCommandTime(NowMs());
  std::vector<std::string> trimmed;
  auto removed =
      retention.Cycle(f_.ks(), /*default_retention_ms=*/0, 100, [&](int db, std::string_view key) {
        EXPECT_EQ(db, 0);
        trimmed.emplace_back(key);
      });
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 2u) << "s keeps what is younger than 5 s; t has no retention";
  EXPECT_EQ(trimmed, std::vector<std::string>{"s"}) << "only a stream that lost entries";
  ASSERT_TRUE(f_.ks().Commit().ok());
  EXPECT_EQ(Run({"xlen", "s"}), ":2");
  EXPECT_EQ(Run({"xlen", "t"}), ":2");
  // The server default applies to streams without their own setting.
  f_.ks().SetCommandTime(NowMs());
  removed = retention.Cycle(f_.ks(), /*default_retention_ms=*/2000, 100);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1u);
  ASSERT_TRUE(f_.ks().Commit().ok());
  EXPECT_EQ(Run({"xrange", "t", "-", "+"}), "[[\"" + id(now - 1000) + "\", [\"f\", \"v\"]]]");
  EXPECT_EQ(Run({"xretention", "t", "0"}), "+OK");
  AdvanceMs(60000);
  f_.ks().SetCommandTime(NowMs());
  removed = retention.Cycle(f_.ks(), /*default_retention_ms=*/2000, 100);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 2u) << "s's own 5 s took its last two; t keeps everything";
  ASSERT_TRUE(f_.ks().Commit().ok());
  EXPECT_EQ(Run({"xlen", "t"}), ":1");
  EXPECT_EQ(Run({"exists", "s"}), ":1") << "an emptied stream stays";
  if (GetParam() == config::Profile::kSession) {
    f_.Reopen();
    EXPECT_EQ(Run({"xretention", "s"}), ":5000") << "the setting is persisted";
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, StreamCommandsTest,
                         ::testing::Values(config::Profile::kCache, config::Profile::kSession),
                         ProfileParamName);

// ---- A big stream on the on-disk path, and group state across a reopen (session) ----

class DurableStreamTest : public ::testing::Test {
 protected:
  std::string Run(const std::vector<std::string>& args) { return f_.Run(args); }
  CommandFixture f_{config::Profile::kSession};
};

TEST_F(DurableStreamTest, BigStreamServesFromDiskAcrossReopen) {
  constexpr int kN = 1500;
  for (int i = 1; i <= kN; ++i) {
    ASSERT_EQ(Run({"xadd", "big", std::to_string(i) + "-0", "n", std::to_string(i)}),
              "\"" + std::to_string(i) + "-0\"");
  }
  {
    auto e = f_.ks().Peek(0, "big");
    ASSERT_TRUE(e.ok() && *e != nullptr);
    // Past 2 * the limit only the newest entries (and group state) stay in memory.
    auto* obj = static_cast<types::StreamObject*>((*e)->object.get());
    ASSERT_NE(obj, nullptr);
    EXPECT_LE(obj->entries(), 2 * f_.ks().hot_collection_limit());
    EXPECT_FALSE(obj->whole());
  }
  EXPECT_EQ(Run({"xgroup", "create", "big", "g", "0"}), "+OK");
  EXPECT_EQ(Run({"xreadgroup", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "big", ">"}),
            "[[\"big\", [[\"1-0\", [\"n\", \"1\"]], [\"2-0\", [\"n\", \"2\"]]]]]");
  EXPECT_EQ(Run({"xdel", "big", "700-0"}), ":1");
  f_.Reopen();
  EXPECT_EQ(Run({"xlen", "big"}), ":1499");
  EXPECT_EQ(Run({"xrange", "big", "699", "701"}),
            "[[\"699-0\", [\"n\", \"699\"]], [\"701-0\", [\"n\", \"701\"]]]");
  EXPECT_EQ(Run({"xrevrange", "big", "+", "-", "COUNT", "1"}), "[[\"1500-0\", [\"n\", \"1500\"]]]");
  EXPECT_EQ(Run({"xpending", "big", "g"}), "[:2, \"1-0\", \"2-0\", [[\"c\", \"2\"]]]");
  EXPECT_EQ(Run({"xreadgroup", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "big", ">"}),
            "[[\"big\", [[\"3-0\", [\"n\", \"3\"]]]]]");
  EXPECT_EQ(Run({"xtrim", "big", "MAXLEN", "10"}), ":1489");
  EXPECT_EQ(Run({"xrange", "big", "-", "+", "COUNT", "1"}), "[[\"1491-0\", [\"n\", \"1491\"]]]");
  f_.Reopen();
  EXPECT_EQ(Run({"xlen", "big"}), ":10");
  EXPECT_EQ(Run({"xpending", "big", "g", "-", "+", "10"}).substr(0, 21),
            "[[\"1-0\", \"c\", :0, :1]");
}

TEST_F(DurableStreamTest, GroupOffsetsAndOwnersSurviveReopen) {
  Run({"xadd", "q", "1-1", "f", "1"});
  Run({"xadd", "q", "2-1", "f", "2"});
  Run({"xadd", "q", "3-1", "f", "3"});
  Run({"xgroup", "create", "q", "g", "0"});
  Run({"xreadgroup", "GROUP", "g", "a", "COUNT", "2", "STREAMS", "q", ">"});
  Run({"xclaim", "q", "g", "b", "0", "2-1"});
  Run({"xack", "q", "g", "1-1"});
  f_.Reopen();
  EXPECT_EQ(Run({"xpending", "q", "g", "-", "+", "10"}), "[[\"2-1\", \"b\", :0, :2]]");
  EXPECT_EQ(Run({"xreadgroup", "GROUP", "g", "a", "STREAMS", "q", ">"}),
            "[[\"q\", [[\"3-1\", [\"f\", \"3\"]]]]]");
  EXPECT_EQ(Run({"xinfo", "groups", "q"}),
            "[[\"name\", \"g\", \"consumers\", :2, \"pending\", :2, \"last-delivered-id\", "
            "\"3-1\", \"entries-read\", :3, \"lag\", :0]]");
}

TEST_F(DurableStreamTest, AShortStreamWithAHugePelIsNotHeldWhole) {
  for (int i = 1; i <= 700; ++i) Run({"xadd", "q", std::to_string(i) + "-0", "f", "v"});
  Run({"xgroup", "create", "q", "g", "0"});
  EXPECT_EQ(Run({"xreadgroup", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "q", ">"}),
            "[[\"q\", [[\"1-0\", [\"f\", \"v\"]]]]]");
  Run({"xreadgroup", "GROUP", "g", "c", "STREAMS", "q", ">"});
  EXPECT_EQ(Run({"xtrim", "q", "MAXLEN", "5"}), ":695");
  f_.Reopen();
  EXPECT_EQ(Run({"xpending", "q", "g"}), "[:700, \"1-0\", \"700-0\", [[\"c\", \"700\"]]]");
  auto e = f_.ks().Peek(0, "q");
  ASSERT_TRUE(e.ok() && *e != nullptr);
  EXPECT_EQ((*e)->object, nullptr) << "5 entries, but 1400 pending sub-keys: read from disk";
  EXPECT_EQ(Run({"xack", "q", "g", "1-0", "2-0"}), ":2");
  EXPECT_EQ(Run({"xgroup", "delconsumer", "q", "g", "c"}), ":698");
  f_.Reopen();
  EXPECT_EQ(Run({"xlen", "q"}), ":5");
  e = f_.ks().Peek(0, "q");
  ASSERT_TRUE(e.ok() && *e != nullptr);
  EXPECT_NE((*e)->object, nullptr) << "with the PEL gone it is small again";
  EXPECT_EQ(Run({"xpending", "q", "g"}), "[:0, (nil), (nil), (nil)]");
}

}  // namespace
}  // namespace strata::commands::testing
