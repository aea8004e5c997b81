#include "commands/command_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

namespace strata::commands {
namespace {

using ::testing::ElementsAre;

TEST(CommandTable, EveryEntryIsComplete) {
  const CommandTable& t = CommandTable::Get();
  ASSERT_FALSE(t.all().empty());
  std::set<std::string_view> names;
  for (const CommandSpec* spec : t.all()) {
    SCOPED_TRACE(std::string(spec->name));
    EXPECT_TRUE(names.insert(spec->name).second);
    for (char c : spec->name) EXPECT_FALSE(std::isupper(static_cast<unsigned char>(c)));
    EXPECT_NE(spec->arity, 0);
    EXPECT_FALSE(spec->group.empty());
    EXPECT_FALSE(spec->summary.empty());
    EXPECT_FALSE(spec->since.empty());
    // A command is either runnable itself or a container of subcommands.
    EXPECT_TRUE(spec->handler != nullptr || t.HasSubcommands(*spec));
    // Writes and reads are exclusive; a write that can grow memory says so.
    EXPECT_FALSE((spec->flags & kWrite) && (spec->flags & kReadOnly));
    if (spec->keys.first > 0) {
      EXPECT_GT(spec->keys.step, 0);
    }
    for (const CommandSpec* sub : t.Subcommands(*spec)) {
      EXPECT_EQ(sub->name.substr(0, spec->name.size() + 1), std::string(spec->name) + "|");
      EXPECT_NE(sub->handler, nullptr);
      EXPECT_LE(sub->arity <= 0 ? -sub->arity : sub->arity, 64);
    }
  }
}

TEST(CommandTable, LookupIgnoresCaseAndRejectsSubcommandNames) {
  const CommandTable& t = CommandTable::Get();
  ASSERT_NE(t.Find("GET"), nullptr);
  EXPECT_EQ(t.Find("gEt"), t.Find("get"));
  EXPECT_EQ(t.Find("client|list"), nullptr);  // only reachable as CLIENT LIST
  EXPECT_EQ(t.Find(std::string(100, 'a')), nullptr);
  const CommandSpec* client = t.Find("client");
  ASSERT_NE(client, nullptr);
  ASSERT_NE(t.FindSub(*client, "LIST"), nullptr);
  EXPECT_EQ(t.FindSub(*client, "LIST")->name, "client|list");
  EXPECT_EQ(t.FindSub(*client, "nosuch"), nullptr);
}

TEST(CommandTable, KeyPositionsOfConcreteInvocations) {
  const CommandTable& t = CommandTable::Get();
  auto keys = [&](std::vector<std::string_view> args) {
    auto pos = CommandTable::KeyPositions(*t.Find(args[0]), args.size(), args);
    return pos ? *pos : std::vector<size_t>{999};
  };
  EXPECT_THAT(keys({"mset", "a", "1", "b", "2"}), ElementsAre(1, 3));
  EXPECT_THAT(keys({"del", "a", "b", "c"}), ElementsAre(1, 2, 3));
  EXPECT_THAT(keys({"get", "k"}), ElementsAre(1));
  EXPECT_TRUE(keys({"ping"}).empty());
  // Keys located by a keyword: XREADGROUP ... STREAMS k1 k2 id1 id2.
  CommandSpec streams{"x",     -4,       kReadOnly, kAclRead, {1, -1, 1, "streams"},
                      nullptr, "stream", "1",       "s",      "c"};
  std::vector<std::string_view> xread = {"XREAD", "COUNT", "2", "STREAMS", "k1", "k2", "0", "0"};
  EXPECT_THAT(*CommandTable::KeyPositions(streams, xread.size(), xread), ElementsAre(4, 5));
  // Keys counted by a numkeys argument, after fixed keys or not.
  EXPECT_THAT(keys({"lmpop", "2", "a", "b", "left"}), ElementsAre(2, 3));
  EXPECT_THAT(keys({"blmpop", "0", "1", "a", "left"}), ElementsAre(3));
  EXPECT_THAT(keys({"zunionstore", "d", "2", "a", "b", "weights", "1", "2"}),
              ElementsAre(1, 3, 4));
  EXPECT_THAT(keys({"lmpop", "0", "a", "left"}), ElementsAre(999)) << "no keys";
  EXPECT_THAT(keys({"lmpop", "x", "a", "left"}), ElementsAre(999)) << "not a number";
  EXPECT_THAT(keys({"zunion", "3", "a", "b"}), ElementsAre(999)) << "more than there are";
  // A key after a keyword, the last one counting.
  EXPECT_THAT(keys({"sort", "k", "store", "d1", "store", "d2"}), ElementsAre(1, 5));
  EXPECT_THAT(keys({"sort", "k", "store"}), ElementsAre(1));
  EXPECT_THAT(keys({"sort_ro", "k", "store", "d"}), ElementsAre(1));
}

TEST(CommandTable, FlagAndCategoryNamesAreRedis) {
  EXPECT_THAT(CommandTable::FlagNames(kWrite | kDenyOom | kFast),
              ElementsAre("write", "denyoom", "fast"));
  EXPECT_THAT(CommandTable::AclNames(kAclWrite | kAclString | kAclFast),
              ElementsAre("@write", "@string", "@fast"));
}

}  // namespace
}  // namespace strata::commands
