// Keyspace commands, with replies checked against Redis 7.0's.
#include <algorithm>
#include <set>
#include <string>

#include "command_fixture.h"

namespace strata::commands::testing {
namespace {

constexpr char kSyntax[] = "-ERR syntax error";
constexpr char kNotInt[] = "-ERR value is not an integer or out of range";
constexpr char kSame[] = "-ERR source and destination objects are the same";
constexpr char kDbRange[] = "-ERR DB index is out of range";

class KeyCommandsTest : public ProfileTest {
 protected:
  // Every key a full SCAN iteration returns, with the given extra options.
  std::multiset<std::string> ScanAll(const std::vector<std::string>& options) {
    std::multiset<std::string> keys;
    std::string cursor = "0";
    int rounds = 0;
    do {
      std::vector<std::string> cmd = {"scan", cursor};
      cmd.insert(cmd.end(), options.begin(), options.end());
      protocol::ReplyValue r = f_.Call(cmd);
      EXPECT_EQ(r.elements.size(), 2u) << r.DebugString();
      if (r.elements.size() != 2) break;
      cursor = r.elements[0].str;
      for (const auto& k : r.elements[1].elements) keys.insert(k.str);
    } while (cursor != "0" && ++rounds < 10000);
    return keys;
  }
};

TEST_P(KeyCommandsTest, DelUnlinkExistsTouch) {
  EXPECT_EQ(Run({"mset", "a", "1", "b", "2", "c", "3"}), "+OK");
  EXPECT_EQ(Run({"exists", "a", "a", "nokey"}), ":2");
  EXPECT_EQ(Run({"touch", "a", "b", "x"}), ":2");
  EXPECT_EQ(Run({"del", "a", "a", "nokey"}), ":1");
  EXPECT_EQ(Run({"unlink", "b", "c"}), ":2");
  EXPECT_EQ(Run({"exists", "a", "b", "c"}), ":0");
  EXPECT_EQ(Run({"dbsize"}), ":0");
  EXPECT_EQ(Run({"del"}), "-ERR wrong number of arguments for 'del' command");
}

TEST_P(KeyCommandsTest, TypeAndDbSize) {
  EXPECT_EQ(Run({"type", "k"}), "+none");
  EXPECT_EQ(Run({"set", "k", "v"}), "+OK");
  EXPECT_EQ(Run({"type", "k"}), "+string");
  EXPECT_EQ(Run({"dbsize"}), ":1");
  EXPECT_EQ(Run({"set", "t", "v", "px", "10"}), "+OK");
  EXPECT_EQ(Run({"dbsize"}), ":2");
  AdvanceMs(11);
  EXPECT_EQ(Run({"type", "t"}), "+none");
  EXPECT_EQ(Run({"dbsize"}), ":1");
}

TEST_P(KeyCommandsTest, KeysAndRandomKey) {
  EXPECT_EQ(Run({"randomkey"}), "(nil)");
  EXPECT_EQ(Run({"keys", "*"}), "[]");
  EXPECT_EQ(Run({"mset", "one", "1", "two", "2", "three", "3", "", "empty"}), "+OK");
  protocol::ReplyValue all = f_.Call({"keys", "*"});
  std::set<std::string> names;
  for (const auto& e : all.elements) names.insert(e.str);
  EXPECT_EQ(names, (std::set<std::string>{"", "one", "two", "three"}));
  protocol::ReplyValue t = f_.Call({"keys", "t*"});
  names.clear();
  for (const auto& e : t.elements) names.insert(e.str);
  EXPECT_EQ(names, (std::set<std::string>{"two", "three"}));
  EXPECT_EQ(Run({"keys", "?n?"}), "[\"one\"]");
  EXPECT_EQ(Run({"keys", ""}), "[\"\"]");  // only the empty key matches an empty pattern
  std::string random = f_.Call({"randomkey"}).str;
  EXPECT_TRUE(random == "" || random == "one" || random == "two" || random == "three") << random;
  EXPECT_EQ(Run({"set", "gone", "v", "px", "5"}), "+OK");
  AdvanceMs(6);
  EXPECT_EQ(Run({"keys", "g*"}), "[]");
}

TEST_P(KeyCommandsTest, ScanArguments) {
  const std::string invalid = "-ERR invalid cursor";
  EXPECT_EQ(Run({"scan", "abc"}), invalid);
  EXPECT_EQ(Run({"scan", " 1"}), invalid);
  EXPECT_EQ(Run({"scan", "18446744073709551616"}), invalid);
  EXPECT_EQ(Run({"scan", "-"}), invalid);
  // What strtoull accepts is a cursor, as in Redis.
  EXPECT_EQ(Run({"scan", "18446744073709551615"}), "[\"0\", []]");
  EXPECT_EQ(Run({"scan", "-1"}), "[\"0\", []]");
  EXPECT_EQ(Run({"scan", "+1"}), "[\"0\", []]");
  EXPECT_EQ(Run({"scan", "01"}), "[\"0\", []]");
  EXPECT_EQ(Run({"scan", ""}), "[\"0\", []]");
  EXPECT_EQ(Run({"scan", "0", "count", "0"}), kSyntax);
  EXPECT_EQ(Run({"scan", "0", "count", "-1"}), kSyntax);
  EXPECT_EQ(Run({"scan", "0", "count", "abc"}), kNotInt);
  EXPECT_EQ(Run({"scan", "0", "match"}), kSyntax);
  EXPECT_EQ(Run({"scan", "0", "type"}), kSyntax);
  EXPECT_EQ(Run({"scan", "0", "foo", "bar"}), kSyntax);
  EXPECT_EQ(Run({"scan", "abc", "foo"}), invalid);  // the cursor is checked first
  EXPECT_EQ(Run({"scan", "0", "type", "nosuchtype"}), "[\"0\", []]");
  EXPECT_EQ(RunRaw({"scan", "0"}, 3), "*2\r\n$1\r\n0\r\n*0\r\n");
}

TEST_P(KeyCommandsTest, ScanIteratesEveryKeyOnce) {
  std::multiset<std::string> expected;
  for (int i = 0; i < 300; ++i) {
    std::string key = "key:" + std::to_string(i);
    EXPECT_EQ(Run({"set", key, "v"}), "+OK");
    expected.insert(key);
  }
  EXPECT_EQ(ScanAll({}), expected);
  EXPECT_EQ(ScanAll({"count", "7"}), expected);
  EXPECT_EQ(ScanAll({"count", "1000"}), expected);
  EXPECT_EQ(ScanAll({"match", "key:1?", "count", "20"}),
            (std::multiset<std::string>{"key:10", "key:11", "key:12", "key:13", "key:14", "key:15",
                                        "key:16", "key:17", "key:18", "key:19"}));
  EXPECT_EQ(ScanAll({"type", "STRING"}), expected);
  EXPECT_EQ(ScanAll({"type", "hash"}), std::multiset<std::string>{});
  EXPECT_EQ(ScanAll({"match", ""}), std::multiset<std::string>{});
}

TEST_P(KeyCommandsTest, ScanSkipsExpiredKeys) {
  EXPECT_EQ(Run({"set", "live", "v"}), "+OK");
  EXPECT_EQ(Run({"set", "dying", "v", "px", "10"}), "+OK");
  AdvanceMs(11);
  EXPECT_EQ(ScanAll({}), std::multiset<std::string>{"live"});
}

TEST_P(KeyCommandsTest, Rename) {
  EXPECT_EQ(Run({"rename", "nokey", "a"}), "-ERR no such key");
  EXPECT_EQ(Run({"renamenx", "nokey", "a"}), "-ERR no such key");
  EXPECT_EQ(Run({"rename", "nokey", "nokey"}), "-ERR no such key");
  EXPECT_EQ(Run({"set", "a", "1"}), "+OK");
  EXPECT_EQ(Run({"rename", "a", "a"}), "+OK");
  EXPECT_EQ(Run({"renamenx", "a", "a"}), ":0");
  EXPECT_EQ(Run({"get", "a"}), "\"1\"");
  EXPECT_EQ(Run({"set", "b", "2"}), "+OK");
  EXPECT_EQ(Run({"renamenx", "a", "b"}), ":0");
  EXPECT_EQ(Run({"pexpire", "a", "50000"}), ":1");
  EXPECT_EQ(Run({"rename", "a", "c"}), "+OK");
  EXPECT_EQ(Run({"exists", "a"}), ":0");
  EXPECT_EQ(Run({"get", "c"}), "\"1\"");
  EXPECT_EQ(Run({"pttl", "c"}), ":50000");      // the TTL moves with the key
  EXPECT_EQ(Run({"rename", "c", "b"}), "+OK");  // replaces b, TTL included
  EXPECT_EQ(Run({"get", "b"}), "\"1\"");
  EXPECT_EQ(Run({"pttl", "b"}), ":50000");
  EXPECT_EQ(Run({"renamenx", "b", "d"}), ":1");
  EXPECT_EQ(Run({"mget", "b", "d"}), "[(nil), \"1\"]");
  EXPECT_EQ(Run({"dbsize"}), ":1");
  // A renamed key expires at its old deadline (alive through that millisecond).
  AdvanceMs(50001);
  EXPECT_EQ(Run({"get", "d"}), "(nil)");
  EXPECT_EQ(Run({"dbsize"}), ":0");
}

TEST_P(KeyCommandsTest, Copy) {
  EXPECT_EQ(Run({"copy", "nokey", "nokey"}), kSame);
  EXPECT_EQ(Run({"copy", "nokey", "d"}), ":0");
  EXPECT_EQ(Run({"set", "c", "v", "px", "50000"}), "+OK");
  EXPECT_EQ(Run({"copy", "c", "c"}), kSame);
  EXPECT_EQ(Run({"copy", "c", "d"}), ":1");
  EXPECT_EQ(Run({"get", "d"}), "\"v\"");
  EXPECT_EQ(Run({"pttl", "d"}), ":50000");
  EXPECT_EQ(Run({"set", "c", "w"}), "+OK");
  EXPECT_EQ(Run({"copy", "c", "d"}), ":0");
  EXPECT_EQ(Run({"get", "d"}), "\"v\"");
  EXPECT_EQ(Run({"copy", "c", "d", "replace"}), ":1");
  EXPECT_EQ(Run({"get", "d"}), "\"w\"");
  EXPECT_EQ(Run({"pttl", "d"}), ":-1");
  EXPECT_EQ(Run({"copy", "c", "d", "db", "16"}), kDbRange);
  EXPECT_EQ(Run({"copy", "c", "d", "db", "-1"}), kDbRange);
  EXPECT_EQ(Run({"copy", "c", "c", "db", "99"}), kDbRange);
  EXPECT_EQ(Run({"copy", "c", "d", "db", "abc"}), kNotInt);
  EXPECT_EQ(Run({"copy", "c", "d", "db", "99999999999"}),
            "-ERR value is out of range, value must between -2147483648 and 2147483647");
  EXPECT_EQ(Run({"copy", "c", "d", "foo"}), kSyntax);
  EXPECT_EQ(Run({"copy", "c", "d", "db"}), kSyntax);
  EXPECT_EQ(Run({"copy", "c", "c", "db", "1"}), ":1");
  EXPECT_EQ(Run({"copy", "c", "c", "db", "1"}), ":0");
  EXPECT_EQ(Run({"copy", "c", "d", "db", "1", "replace"}), ":1");
  EXPECT_EQ(Run({"copy", "c", "d", "replace", "db", "0"}), ":1");
  EXPECT_EQ(Run({"dbsize"}), ":2");
  f_.session().db = 1;
  EXPECT_EQ(Run({"mget", "c", "d"}), "[\"w\", \"w\"]");
  EXPECT_EQ(Run({"dbsize"}), ":2");
}

TEST_P(KeyCommandsTest, Move) {
  EXPECT_EQ(Run({"set", "c", "v", "px", "9000"}), "+OK");
  EXPECT_EQ(Run({"move", "c", "0"}), kSame);
  EXPECT_EQ(Run({"move", "c", "16"}), kDbRange);
  EXPECT_EQ(Run({"move", "c", "-1"}), kDbRange);
  EXPECT_EQ(Run({"move", "c", "abc"}), kNotInt);
  EXPECT_EQ(Run({"move", "c", "99999999999"}),
            "-ERR value is out of range, value must between -2147483648 and 2147483647");
  EXPECT_EQ(Run({"move", "nokey", "1"}), ":0");
  EXPECT_EQ(Run({"move", "c", "1"}), ":1");
  EXPECT_EQ(Run({"exists", "c"}), ":0");
  EXPECT_EQ(Run({"dbsize"}), ":0");
  f_.session().db = 1;
  EXPECT_EQ(Run({"get", "c"}), "\"v\"");
  EXPECT_EQ(Run({"pttl", "c"}), ":9000");
  EXPECT_EQ(Run({"dbsize"}), ":1");
  // The destination already has the key: nothing moves.
  f_.session().db = 0;
  EXPECT_EQ(Run({"set", "c", "other"}), "+OK");
  EXPECT_EQ(Run({"move", "c", "1"}), ":0");
  EXPECT_EQ(Run({"get", "c"}), "\"other\"");
}

TEST_P(KeyCommandsTest, FlushDbAndFlushAll) {
  EXPECT_EQ(Run({"mset", "a", "1", "b", "2"}), "+OK");
  f_.session().db = 3;
  EXPECT_EQ(Run({"set", "x", "1", "ex", "100"}), "+OK");
  EXPECT_EQ(Run({"flushdb", "foo"}), kSyntax);
  EXPECT_EQ(Run({"flushdb", "async", "sync"}), kSyntax);
  EXPECT_EQ(Run({"flushall", "foo"}), kSyntax);
  EXPECT_EQ(Run({"flushdb", "SYNC"}), "+OK");
  EXPECT_EQ(Run({"dbsize"}), ":0");
  f_.session().db = 0;
  EXPECT_EQ(Run({"dbsize"}), ":2");
  EXPECT_EQ(Run({"flushdb", "async"}), "+OK");
  EXPECT_EQ(Run({"dbsize"}), ":0");
  EXPECT_EQ(Run({"set", "a", "1"}), "+OK");
  f_.session().db = 5;
  EXPECT_EQ(Run({"set", "a", "1"}), "+OK");
  EXPECT_EQ(Run({"flushall", "ASYNC"}), "+OK");
  EXPECT_EQ(Run({"dbsize"}), ":0");
  f_.session().db = 0;
  EXPECT_EQ(Run({"dbsize"}), ":0");
  EXPECT_EQ(Run({"get", "a"}), "(nil)");
  EXPECT_EQ(Run({"flushall"}), "+OK");
}

TEST_P(KeyCommandsTest, SwapDb) {
  EXPECT_EQ(Run({"swapdb", "a", "0"}), "-ERR invalid first DB index");
  EXPECT_EQ(Run({"swapdb", "0", "a"}), "-ERR invalid second DB index");
  EXPECT_EQ(Run({"swapdb", "99999999999", "0"}), "-ERR invalid first DB index");
  EXPECT_EQ(Run({"swapdb", "0", "16"}), kDbRange);
  EXPECT_EQ(Run({"swapdb", "-1", "0"}), kDbRange);
  EXPECT_EQ(Run({"swapdb", "0", "0"}), "+OK");
  EXPECT_EQ(Run({"mset", "a", "zero", "b", "zero"}), "+OK");
  f_.session().db = 1;
  EXPECT_EQ(Run({"set", "a", "one"}), "+OK");
  EXPECT_EQ(Run({"swapdb", "0", "1"}), "+OK");
  EXPECT_EQ(Run({"get", "a"}), "\"zero\"");
  EXPECT_EQ(Run({"dbsize"}), ":2");
  f_.session().db = 0;
  EXPECT_EQ(Run({"get", "a"}), "\"one\"");
  EXPECT_EQ(Run({"dbsize"}), ":1");
  EXPECT_EQ(Run({"set", "new", "x"}), "+OK");  // writes go to what is now db 0
  f_.session().db = 1;
  EXPECT_EQ(Run({"exists", "new"}), ":0");
}

TEST_P(KeyCommandsTest, CommandTableEntries) {
  const CommandTable& t = CommandTable::Get();
  const CommandSpec* swapdb = t.Find("swapdb");
  ASSERT_NE(swapdb, nullptr);
  EXPECT_EQ(CommandTable::AclNames(swapdb->acl),
            (std::vector<std::string_view>{"@keyspace", "@write", "@fast", "@dangerous"}));
  const CommandSpec* rename = t.Find("rename");
  ASSERT_NE(rename, nullptr);
  EXPECT_EQ(rename->keys.first, 1);
  EXPECT_EQ(rename->keys.last, 2);
  EXPECT_EQ(rename->keys.step, 1);
  const CommandSpec* scan = t.Find("scan");
  ASSERT_NE(scan, nullptr);
  EXPECT_EQ(scan->keys.first, 0);
  EXPECT_EQ(scan->arity, -2);
}

STRATA_INSTANTIATE_PROFILES(KeyCommandsTest);

}  // namespace
}  // namespace strata::commands::testing
