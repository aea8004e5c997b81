// Sorted-set commands, with replies checked against Redis 7.0's, in both profiles; and a set
// bigger than 2 * kHotCollectionLimit served from RocksDB (session) across a reopen.
#include <set>
#include <string>
#include <vector>

#include "command_fixture.h"

namespace strata::commands::testing {
namespace {

constexpr char kWrongType[] = "-WRONGTYPE Operation against a key holding the wrong kind of value";
constexpr char kSyntax[] = "-ERR syntax error";
constexpr char kNotFloat[] = "-ERR value is not a valid float";

class ZSetCommandsTest : public ProfileTest {};

TEST_P(ZSetCommandsTest, AddOptionsAndErrors) {
  EXPECT_EQ(Run({"zadd", "z", "1", "a", "2", "b"}), ":2");
  EXPECT_EQ(Run({"zadd", "z", "ch", "5", "a", "2", "b", "3", "c"}), ":2");
  EXPECT_EQ(Run({"zadd", "z", "nx", "9", "a", "4", "d"}), ":1");
  EXPECT_EQ(Run({"zscore", "z", "a"}), "\"5\"");
  EXPECT_EQ(Run({"zadd", "z", "xx", "ch", "6", "a", "7", "nope"}), ":1");
  EXPECT_EQ(Run({"zadd", "z", "gt", "ch", "1", "a"}), ":0");
  EXPECT_EQ(Run({"zadd", "z", "lt", "ch", "1", "a"}), ":1");
  EXPECT_EQ(Run({"zadd", "z", "incr", "2.5", "a"}), "\"3.5\"");
  EXPECT_EQ(Run({"zadd", "z", "incr", "nx", "1", "a"}), "(nil)");
  EXPECT_EQ(Run({"zadd", "z", "nx", "xx", "1", "a"}),
            "-ERR XX and NX options at the same time are not compatible");
  EXPECT_EQ(Run({"zadd", "z", "gt", "lt", "1", "a"}),
            "-ERR GT, LT, and/or NX options at the same time are not compatible");
  EXPECT_EQ(Run({"zadd", "z", "incr", "1", "a", "2", "b"}),
            "-ERR INCR option supports a single increment-element pair");
  EXPECT_EQ(Run({"zadd", "z", "1", "a", "2"}), kSyntax);
  EXPECT_EQ(Run({"zadd", "z", "x", "a"}), kNotFloat);
  EXPECT_EQ(Run({"zadd", "z", "nan", "a"}), kNotFloat);
  EXPECT_EQ(Run({"zadd", "missing", "xx", "1", "a"}), ":0");
  EXPECT_EQ(Run({"exists", "missing"}), ":0");
  EXPECT_EQ(Run({"zcard", "z"}), ":4");
  EXPECT_EQ(Run({"zadd", "z", "-0", "zero"}), ":1");
  EXPECT_EQ(Run({"zscore", "z", "zero"}), "\"0\"");
}

TEST_P(ZSetCommandsTest, IncrByAndNaN) {
  EXPECT_EQ(Run({"zincrby", "z", "1.5", "m"}), "\"1.5\"");
  EXPECT_EQ(Run({"zincrby", "z", "+inf", "m"}), "\"inf\"");
  EXPECT_EQ(Run({"zincrby", "z", "-inf", "m"}), "-ERR resulting score is not a number (NaN)");
  EXPECT_EQ(Run({"zscore", "z", "m"}), "\"inf\"");
  EXPECT_EQ(Run({"zincrby", "z", "x", "m"}), kNotFloat);
  EXPECT_EQ(RunRaw({"zscore", "z", "m"}, 3), ",inf\r\n");
  EXPECT_EQ(RunRaw({"zadd", "d", "0.1", "a"}, 2), ":1\r\n");
  EXPECT_EQ(RunRaw({"zscore", "d", "a"}, 2), "$19\r\n0.10000000000000001\r\n");
}

TEST_P(ZSetCommandsTest, RemoveDeletesEmptyKeyAndKeepsTtl) {
  EXPECT_EQ(Run({"zadd", "z", "1", "a", "2", "b"}), ":2");
  EXPECT_EQ(Run({"pexpire", "z", "100000"}), ":1");
  EXPECT_EQ(Run({"zrem", "z", "a", "a", "nope"}), ":1");
  EXPECT_EQ(Run({"pttl", "z"}), ":100000");
  EXPECT_EQ(Run({"zrem", "z", "b"}), ":1");
  EXPECT_EQ(Run({"exists", "z"}), ":0");
  EXPECT_EQ(Run({"zrem", "z", "b"}), ":0");
}

TEST_P(ZSetCommandsTest, RanksAndRanges) {
  EXPECT_EQ(Run({"zadd", "z", "1", "a", "2", "b", "3", "c", "3", "d", "4", "e"}), ":5");
  EXPECT_EQ(Run({"zrank", "z", "d"}), ":3");
  EXPECT_EQ(Run({"zrevrank", "z", "d"}), ":1");
  EXPECT_EQ(Run({"zrank", "z", "x"}), "(nil)");
  EXPECT_EQ(Run({"zrange", "z", "1", "2"}), "[\"b\", \"c\"]");
  EXPECT_EQ(Run({"zrange", "z", "-2", "-1", "withscores"}), "[\"d\", \"3\", \"e\", \"4\"]");
  EXPECT_EQ(Run({"zrange", "z", "0", "0", "rev"}), "[\"e\"]");
  EXPECT_EQ(Run({"zrange", "z", "(1", "3", "byscore", "limit", "1", "5"}), "[\"c\", \"d\"]");
  EXPECT_EQ(Run({"zrange", "z", "+inf", "(3", "byscore", "rev"}), "[\"e\"]");
  EXPECT_EQ(Run({"zrangebyscore", "z", "-inf", "2", "withscores"}), "[\"a\", \"1\", \"b\", \"2\"]");
  EXPECT_EQ(Run({"zrevrangebyscore", "z", "3", "3"}), "[\"d\", \"c\"]");
  EXPECT_EQ(Run({"zcount", "z", "(1", "3"}), ":3");
  EXPECT_EQ(Run({"zrange", "z", "0", "-1", "limit", "0", "1"}),
            "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or "
            "BYLEX");
  EXPECT_EQ(Run({"zrange", "z", "-", "+", "bylex", "withscores"}),
            "-ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  EXPECT_EQ(Run({"zrange", "z", "x", "1", "byscore"}), "-ERR min or max is not a float");
  EXPECT_EQ(Run({"zrange", "z", "a", "+", "bylex"}), "-ERR min or max not valid string range item");
  EXPECT_EQ(Run({"zrangebyscore", "z", "0", "1", "rev"}), kSyntax);
  // RESP3 nests [member, score] pairs and sends doubles.
  EXPECT_EQ(RunRaw({"zrange", "z", "0", "0", "withscores"}, 3), "*1\r\n*2\r\n$1\r\na\r\n,1\r\n");
}

TEST_P(ZSetCommandsTest, LexRangesAndRemovals) {
  EXPECT_EQ(Run({"zadd", "l", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"}), ":5");
  EXPECT_EQ(Run({"zrangebylex", "l", "[b", "(d"}), "[\"b\", \"c\"]");
  EXPECT_EQ(Run({"zrevrangebylex", "l", "+", "(c", "limit", "1", "5"}), "[\"d\"]");
  EXPECT_EQ(Run({"zlexcount", "l", "-", "+"}), ":5");
  EXPECT_EQ(Run({"zlexcount", "l", "+", "-"}), ":0");
  EXPECT_EQ(Run({"zremrangebylex", "l", "[b", "[c"}), ":2");
  EXPECT_EQ(Run({"zremrangebyrank", "l", "-1", "-1"}), ":1");
  EXPECT_EQ(Run({"zremrangebyscore", "l", "0", "0"}), ":2");
  EXPECT_EQ(Run({"exists", "l"}), ":0");
}

TEST_P(ZSetCommandsTest, PopsAndMPop) {
  EXPECT_EQ(Run({"zadd", "p", "1", "a", "2", "b", "3", "c", "4", "d"}), ":4");
  EXPECT_EQ(Run({"zpopmin", "p"}), "[\"a\", \"1\"]");
  EXPECT_EQ(Run({"zpopmax", "p", "2"}), "[\"d\", \"4\", \"c\", \"3\"]");
  EXPECT_EQ(RunRaw({"zpopmin", "p", "1"}, 3), "*1\r\n*2\r\n$1\r\nb\r\n,2\r\n");
  EXPECT_EQ(Run({"exists", "p"}), ":0");
  EXPECT_EQ(Run({"zpopmin", "p"}), "[]");
  EXPECT_EQ(Run({"zpopmin", "p", "-1"}), "-ERR value is out of range, must be positive");
  EXPECT_EQ(Run({"zadd", "q", "1", "a", "2", "b"}), ":2");
  EXPECT_EQ(Run({"zmpop", "2", "p", "q", "max", "count", "5"}),
            "[\"q\", [[\"b\", \"2\"], [\"a\", \"1\"]]]");
  EXPECT_EQ(RunRaw({"zmpop", "1", "q", "min"}, 2), "*-1\r\n");
  EXPECT_EQ(Run({"zmpop", "0", "q", "min"}), "-ERR numkeys should be greater than 0");
  EXPECT_EQ(Run({"zmpop", "1", "q", "min", "count", "0"}), "-ERR count should be greater than 0");
}

TEST_P(ZSetCommandsTest, SetAlgebra) {
  EXPECT_EQ(Run({"zadd", "a", "1", "x", "2", "y", "3", "z"}), ":3");
  EXPECT_EQ(Run({"zadd", "b", "10", "y", "20", "z", "30", "w"}), ":3");
  EXPECT_EQ(Run({"zunion", "2", "a", "b", "withscores"}),
            "[\"x\", \"1\", \"y\", \"12\", \"z\", \"23\", \"w\", \"30\"]");
  EXPECT_EQ(Run({"zinter", "2", "a", "b", "weights", "2", "1", "aggregate", "min"}),
            "[\"y\", \"z\"]");
  EXPECT_EQ(Run({"zdiff", "2", "a", "b", "withscores"}), "[\"x\", \"1\"]");
  EXPECT_EQ(Run({"zinterstore", "a", "2", "a", "b"}), ":2");
  EXPECT_EQ(Run({"zrange", "a", "0", "-1", "withscores"}), "[\"y\", \"12\", \"z\", \"23\"]");
  EXPECT_EQ(Run({"zdiffstore", "out", "2", "a", "b"}), ":0");
  EXPECT_EQ(Run({"exists", "out"}), ":0");
  EXPECT_EQ(Run({"zintercard", "2", "a", "b", "limit", "1"}), ":1");
  EXPECT_EQ(Run({"zunion", "0", "a"}), "-ERR at least 1 input key is needed for 'zunion' command");
  EXPECT_EQ(Run({"zunion", "1", "a", "weights", "x"}), "-ERR weight value is not a float");
  EXPECT_EQ(Run({"set", "s", "v"}), "+OK");
  EXPECT_EQ(Run({"zunion", "2", "a", "s"}), kWrongType);
  // A plain set is an input whose members all score 1.
  EXPECT_EQ(Run({"sadd", "plain", "y", "q"}), ":2");
  EXPECT_EQ(Run({"zunion", "2", "a", "plain", "withscores"}),
            "[\"q\", \"1\", \"y\", \"13\", \"z\", \"23\"]");
}

TEST_P(ZSetCommandsTest, WrongTypeEverywhere) {
  EXPECT_EQ(Run({"set", "s", "v"}), "+OK");
  for (const auto& cmd :
       std::vector<std::vector<std::string>>{{"zadd", "s", "1", "a"},
                                             {"zincrby", "s", "1", "a"},
                                             {"zrem", "s", "a"},
                                             {"zscore", "s", "a"},
                                             {"zmscore", "s", "a"},
                                             {"zcard", "s"},
                                             {"zcount", "s", "0", "1"},
                                             {"zrank", "s", "a"},
                                             {"zrange", "s", "0", "1"},
                                             {"zpopmin", "s"},
                                             {"zrandmember", "s"},
                                             {"zscan", "s", "0"},
                                             {"zremrangebyrank", "s", "0", "1"}}) {
    EXPECT_EQ(Run(cmd), kWrongType) << cmd[0];
  }
  EXPECT_EQ(Run({"get", "s"}), "\"v\"");
}

TEST_P(ZSetCommandsTest, RandMemberAndScanOnSmallSets) {
  EXPECT_EQ(Run({"zadd", "r", "1", "a", "2", "b", "3", "c"}), ":3");
  EXPECT_EQ(f_.Call({"zrandmember", "r", "5"}).elements.size(), 3u);
  EXPECT_EQ(f_.Call({"zrandmember", "r", "2", "withscores"}).elements.size(), 4u);
  EXPECT_EQ(f_.Call({"zrandmember", "r", "-7"}).elements.size(), 7u);
  EXPECT_EQ(Run({"zrandmember", "missing"}), "(nil)");
  EXPECT_EQ(Run({"zrandmember", "r", "1", "foo"}), kSyntax);
  EXPECT_EQ(Run({"zscan", "r", "0", "match", "b"}), "[\"0\", [\"b\", \"2\"]]");
  EXPECT_EQ(Run({"zscan", "missing", "0"}), "[\"0\", []]");
  EXPECT_EQ(Run({"zscan", "r", "x"}), "-ERR invalid cursor");
}

STRATA_INSTANTIATE_PROFILES(ZSetCommandsTest);

// ---- A big sorted set on the on-disk path (session profile) ----

class BigZSetTest : public ::testing::Test {
 protected:
  std::string Run(const std::vector<std::string>& args) { return f_.Run(args); }
  CommandFixture f_{config::Profile::kSession};
};

TEST_F(BigZSetTest, RangesPopsAndScanAcrossReopen) {
  constexpr int kN = 1500;
  std::vector<std::string> args = {"zadd", "big"};
  for (int i = 0; i < kN; ++i) {
    args.push_back(std::to_string(i));
    args.push_back("m" + std::to_string(100000 + i));
  }
  EXPECT_EQ(Run(args), ":1500");
  {
    auto e = f_.ks().Peek(0, "big");
    ASSERT_TRUE(e.ok() && *e != nullptr);
    EXPECT_EQ((*e)->object, nullptr) << "a set past 2*kHotCollectionLimit is not held whole";
  }
  f_.Reopen();
  EXPECT_EQ(Run({"zcard", "big"}), ":1500");
  EXPECT_EQ(Run({"zscore", "big", "m100700"}), "\"700\"");
  EXPECT_EQ(Run({"zrank", "big", "m100700"}), ":700");
  EXPECT_EQ(Run({"zrevrank", "big", "m100700"}), ":799");
  // LIMIT reads only what it returns: a point in the middle, by score, in both directions.
  const uint64_t before = f_.ks().stats().warm_reads;
  EXPECT_EQ(Run({"zrange", "big", "(700", "+inf", "byscore", "limit", "0", "3"}),
            "[\"m100701\", \"m100702\", \"m100703\"]");
  EXPECT_EQ(f_.ks().stats().warm_reads, before);  // iterator, not point reads
  EXPECT_EQ(Run({"zrevrangebyscore", "big", "700", "-inf", "withscores", "limit", "1", "2"}),
            "[\"m100699\", \"699\", \"m100698\", \"698\"]");
  EXPECT_EQ(Run({"zrange", "big", "-2", "-1"}), "[\"m101498\", \"m101499\"]");
  EXPECT_EQ(Run({"zcount", "big", "100", "(200"}), ":100");
  EXPECT_EQ(Run({"zadd", "big", "xx", "ch", "-1", "m101499"}), ":1");
  EXPECT_EQ(Run({"zpopmin", "big", "2"}), "[\"m101499\", \"-1\", \"m100000\", \"0\"]");
  EXPECT_EQ(Run({"zpopmax", "big"}), "[\"m101498\", \"1498\"]");
  EXPECT_EQ(Run({"zremrangebyscore", "big", "1000", "+inf"}), ":498");
  EXPECT_EQ(Run({"zrem", "big", "m100001", "m100002"}), ":2");
  EXPECT_EQ(Run({"zcard", "big"}), ":997");
  f_.Reopen();
  EXPECT_EQ(Run({"zcard", "big"}), ":997");
  EXPECT_EQ(Run({"zrange", "big", "0", "1", "withscores"}),
            "[\"m100003\", \"3\", \"m100004\", \"4\"]");
  EXPECT_EQ(Run({"zrange", "big", "-1", "-1"}), "[\"m100999\"]");
  // A full ZSCAN sees every member once.
  std::set<std::string> seen;
  std::string cursor = "0";
  do {
    protocol::ReplyValue page = f_.Call({"zscan", "big", cursor, "count", "100"});
    ASSERT_EQ(page.elements.size(), 2u);
    cursor = page.elements[0].str;
    for (size_t i = 0; i < page.elements[1].elements.size(); i += 2) {
      EXPECT_TRUE(seen.insert(page.elements[1].elements[i].str).second);
    }
  } while (cursor != "0");
  EXPECT_EQ(seen.size(), 997u);
  EXPECT_EQ(Run({"zunionstore", "copy", "1", "big"}), ":997");
  EXPECT_EQ(Run({"zremrangebyrank", "big", "0", "-1"}), ":997");
  EXPECT_EQ(Run({"exists", "big"}), ":0");
  f_.Reopen();
  EXPECT_EQ(Run({"exists", "big"}), ":0");
  EXPECT_EQ(Run({"zcard", "copy"}), ":997");
  EXPECT_EQ(Run({"zscore", "copy", "m100500"}), "\"500\"");
}

}  // namespace
}  // namespace strata::commands::testing
