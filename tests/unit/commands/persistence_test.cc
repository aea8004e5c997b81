// The session profile keeps what commands wrote across closing and reopening the keyspace:
// values, deadlines, per-database counts and the SWAPDB mapping.
#include <string>

#include "command_fixture.h"

namespace strata::commands::testing {
namespace {

class PersistenceTest : public ::testing::Test {
 protected:
  std::string Run(const std::vector<std::string>& args) { return f_.Run(args); }

  CommandFixture f_{config::Profile::kSession};
};

TEST_F(PersistenceTest, ValuesAndCountsSurviveReopen) {
  EXPECT_EQ(Run({"mset", "a", "1", "b", "2", "c", "3"}), "+OK");
  EXPECT_EQ(Run({"incrby", "a", "41"}), ":42");
  EXPECT_EQ(Run({"append", "b", "xyz"}), ":4");
  EXPECT_EQ(Run({"setrange", "c", "3", "!"}), ":4");
  EXPECT_EQ(Run({"incrbyfloat", "f", "1.5"}), "\"1.5\"");
  EXPECT_EQ(Run({"del", "c"}), ":1");
  EXPECT_EQ(Run({"rename", "f", "g"}), "+OK");
  f_.session().db = 2;
  EXPECT_EQ(Run({"set", "x", "in two"}), "+OK");
  f_.session().db = 0;
  EXPECT_EQ(Run({"move", "b", "3"}), ":1");
  f_.Reopen();
  EXPECT_EQ(Run({"mget", "a", "b", "c", "f", "g"}), "[\"42\", (nil), (nil), (nil), \"1.5\"]");
  EXPECT_EQ(Run({"dbsize"}), ":2");
  f_.session().db = 2;
  EXPECT_EQ(Run({"get", "x"}), "\"in two\"");
  EXPECT_EQ(Run({"dbsize"}), ":1");
  f_.session().db = 3;
  EXPECT_EQ(Run({"get", "b"}), "\"2xyz\"");
  EXPECT_EQ(Run({"dbsize"}), ":1");
}

TEST_F(PersistenceTest, TtlsSurviveReopenAndExpireAfterwards) {
  EXPECT_EQ(Run({"set", "short", "v", "px", "500"}), "+OK");
  EXPECT_EQ(Run({"set", "long", "v", "ex", "100"}), "+OK");
  EXPECT_EQ(Run({"set", "kept", "v", "ex", "100"}), "+OK");
  EXPECT_EQ(Run({"persist", "kept"}), ":1");
  EXPECT_EQ(Run({"set", "renamed", "v", "px", "700"}), "+OK");
  EXPECT_EQ(Run({"rename", "renamed", "r2"}), "+OK");
  f_.Reopen();
  EXPECT_EQ(Run({"pttl", "short"}), ":500");
  EXPECT_EQ(Run({"ttl", "long"}), ":100");
  EXPECT_EQ(Run({"ttl", "kept"}), ":-1");
  EXPECT_EQ(Run({"pttl", "r2"}), ":700");
  EXPECT_EQ(Run({"dbsize"}), ":4");
  f_.clock().AdvanceMs(800);
  f_.Reopen();
  EXPECT_EQ(Run({"exists", "short", "r2"}), ":0");
  EXPECT_EQ(Run({"exists", "long", "kept"}), ":2");
  EXPECT_EQ(Run({"dbsize"}), ":2");
  f_.Reopen();
  EXPECT_EQ(Run({"dbsize"}), ":2");
}

TEST_F(PersistenceTest, SwapDbMappingSurvivesReopen) {
  EXPECT_EQ(Run({"set", "k", "zero"}), "+OK");
  f_.session().db = 1;
  EXPECT_EQ(Run({"mset", "k", "one", "j", "one"}), "+OK");
  EXPECT_EQ(Run({"swapdb", "0", "1"}), "+OK");
  f_.Reopen();
  f_.session().db = 0;
  EXPECT_EQ(Run({"get", "k"}), "\"one\"");
  EXPECT_EQ(Run({"dbsize"}), ":2");
  f_.session().db = 1;
  EXPECT_EQ(Run({"get", "k"}), "\"zero\"");
  EXPECT_EQ(Run({"dbsize"}), ":1");
  // Writes after the reopen land in the swapped databases, and stay there.
  EXPECT_EQ(Run({"set", "after", "x"}), "+OK");
  f_.Reopen();
  f_.session().db = 1;
  EXPECT_EQ(Run({"mget", "k", "after"}), "[\"zero\", \"x\"]");
  f_.session().db = 0;
  EXPECT_EQ(Run({"exists", "after"}), ":0");
}

TEST_F(PersistenceTest, FlushesSurviveReopen) {
  EXPECT_EQ(Run({"mset", "a", "1", "b", "2"}), "+OK");
  f_.session().db = 1;
  EXPECT_EQ(Run({"set", "c", "3", "ex", "100"}), "+OK");
  EXPECT_EQ(Run({"flushdb"}), "+OK");
  f_.Reopen();
  f_.session().db = 1;
  EXPECT_EQ(Run({"dbsize"}), ":0");
  EXPECT_EQ(Run({"get", "c"}), "(nil)");
  f_.session().db = 0;
  EXPECT_EQ(Run({"dbsize"}), ":2");
  EXPECT_EQ(Run({"flushall"}), "+OK");
  f_.Reopen();
  EXPECT_EQ(Run({"dbsize"}), ":0");
  EXPECT_EQ(Run({"keys", "*"}), "[]");
}

TEST_F(PersistenceTest, CopyAndGetExSurviveReopen) {
  EXPECT_EQ(Run({"set", "src", "v", "px", "5000"}), "+OK");
  EXPECT_EQ(Run({"copy", "src", "dst", "db", "4"}), ":1");
  EXPECT_EQ(Run({"getex", "src", "persist"}), "\"v\"");
  EXPECT_EQ(Run({"set", "gone", "v"}), "+OK");
  EXPECT_EQ(Run({"getex", "gone", "exat", "1"}), "\"v\"");
  f_.Reopen();
  EXPECT_EQ(Run({"ttl", "src"}), ":-1");
  EXPECT_EQ(Run({"exists", "gone"}), ":0");
  EXPECT_EQ(Run({"dbsize"}), ":1");
  f_.session().db = 4;
  EXPECT_EQ(Run({"pttl", "dst"}), ":5000");
}

}  // namespace
}  // namespace strata::commands::testing
