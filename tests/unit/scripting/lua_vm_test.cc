// The interpreter on its own: compiling, conversions both ways, errors as Redis words them, and
// the closed globals. redis.call reaches a runner that answers GET/SET from a map and echoes
// fixed replies for the conversion cases.
#include "scripting/lua_vm.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "common/sha1.h"

namespace strata::scripting {
namespace {

class MapRunner : public CommandRunner {
 public:
  void Run(std::span<const std::string_view> args, int resp, std::string* out) override {
    protocol::ReplyBuilder reply(out, resp);
    calls.emplace_back(args.begin(), args.end());
    const std::string name(args[0]);
    if (name == "SET" && args.size() == 3) {
      data[std::string(args[1])] = std::string(args[2]);
      return reply.Ok();
    }
    if (name == "GET" && args.size() == 2) {
      auto it = data.find(std::string(args[1]));
      return it == data.end() ? reply.Null() : reply.Bulk(it->second);
    }
    if (name == "RAW") return reply.Raw(std::string(args[1]));  // a reply as given
    reply.Error("ERR unknown command '" + name + "'");
  }
  std::map<std::string, std::string> data;
  std::vector<std::vector<std::string>> calls;
};

class LuaVmTest : public ::testing::Test {
 protected:
  // Loads and runs `body`, returns the raw reply for a client of protocol `client_resp`.
  std::string Eval(std::string_view body, std::vector<std::string_view> keys = {},
                   std::vector<std::string_view> argv = {}, int client_resp = 2) {
    const std::string sha = Sha1Hex(body);
    Status loaded = vm_.Load(sha, body, LuaVm::Origin::kEval);
    if (!loaded.ok()) return "-" + loaded.message() + "\r\n";
    std::string out;
    protocol::ReplyBuilder reply(&out, client_resp);
    vm_.Run(sha, keys, argv, runner_, reply);
    return out;
  }

  LuaVm vm_;
  MapRunner runner_;
};

TEST_F(LuaVmTest, ScriptValuesBecomeReplies) {
  EXPECT_EQ(Eval("return 'hi'"), "$2\r\nhi\r\n");
  EXPECT_EQ(Eval("return 3.99"), ":3\r\n");  // numbers are truncated to integers
  EXPECT_EQ(Eval("return -3.99"), ":-3\r\n");
  EXPECT_EQ(Eval("return true"), ":1\r\n");
  EXPECT_EQ(Eval("return false"), "$-1\r\n");
  EXPECT_EQ(Eval("return nil"), "$-1\r\n");
  EXPECT_EQ(Eval("return {1, 'a', {2}, nil, 'after nil'}"), "*3\r\n:1\r\n$1\r\na\r\n*1\r\n:2\r\n");
  EXPECT_EQ(Eval("return {ok='fine'}"), "+fine\r\n");
  EXPECT_EQ(Eval("return {err='My Error'}"), "-My Error\r\n");
  EXPECT_EQ(Eval("return redis.error_reply('oops')"), "-ERR oops\r\n");
  EXPECT_EQ(Eval("return redis.error_reply('CODE oops')"), "-CODE oops\r\n");
  EXPECT_EQ(Eval("return redis.status_reply('QUEUED')"), "+QUEUED\r\n");
  EXPECT_EQ(Eval("return {double=1.5}", {}, {}, 3), ",1.5\r\n");
  EXPECT_EQ(Eval("redis.setresp(3) return true", {}, {}, 3), "#t\r\n");
  EXPECT_EQ(Eval("redis.setresp(3) return false", {}, {}, 2), ":0\r\n");
}

TEST_F(LuaVmTest, KeysAndArgvAndCalls) {
  EXPECT_EQ(Eval("redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])",
                 {"k"}, {"v"}),
            "$1\r\nv\r\n");
  EXPECT_EQ(runner_.data["k"], "v");
  EXPECT_EQ(Eval("return redis.call('GET', 'missing')"), "$-1\r\n");
  EXPECT_EQ(Eval("return type(redis.call('GET', 'missing'))"), "$7\r\nboolean\r\n");
  EXPECT_EQ(Eval("return redis.call('SET', 'n', 10)"), "+OK\r\n");
  EXPECT_EQ(runner_.data["n"], "10");
  EXPECT_EQ(Eval("return redis.call('SET', 'f', 1.5)"), "+OK\r\n");
  EXPECT_EQ(runner_.data["f"], "1.5");
  EXPECT_EQ(Eval("return #KEYS + #ARGV", {"a", "b"}, {"c"}), ":3\r\n");
}

TEST_F(LuaVmTest, RepliesBecomeLuaValues) {
  EXPECT_EQ(Eval("local r = redis.call('RAW', ARGV[1]) return r.ok", {}, {"+PONG\r\n"}),
            "$4\r\nPONG\r\n");
  EXPECT_EQ(Eval("return redis.call('RAW', ARGV[1])[2]", {}, {"*2\r\n:1\r\n$1\r\nx\r\n"}),
            "$1\r\nx\r\n");
  EXPECT_EQ(Eval("return type(redis.call('RAW', ARGV[1]))", {}, {"*-1\r\n"}),
            "$7\r\nboolean\r\n");
  EXPECT_EQ(Eval("redis.setresp(3) return type(redis.call('RAW', ARGV[1]))", {}, {"_\r\n"}),
            "$3\r\nnil\r\n");
  EXPECT_EQ(Eval("redis.setresp(3) return redis.call('RAW', ARGV[1]).map.a", {},
                 {"%1\r\n$1\r\na\r\n:7\r\n"}),
            ":7\r\n");
  EXPECT_EQ(Eval("redis.setresp(3) return redis.call('RAW', ARGV[1]).double * 2", {},
                 {",1.25\r\n"}),
            ":2\r\n");
}

TEST_F(LuaVmTest, ErrorsNameTheScriptAndLine) {
  const std::string sha = Sha1Hex("return redis.call('NOPE')");
  EXPECT_EQ(Eval("return redis.call('NOPE')"),
            "-ERR unknown command 'NOPE' script: " + sha + ", on @user_script:1.\r\n");
  EXPECT_EQ(Eval("local t = redis.pcall('NOPE') return t.err"),
            "$26\r\nERR unknown command 'NOPE'\r\n");
  EXPECT_EQ(Eval("\n\nreturn undefined_name"),
            "-ERR user_script:3: Script attempted to access nonexistent global variable "
            "'undefined_name' script: " +
                Sha1Hex("\n\nreturn undefined_name") + ", on @user_script:3.\r\n");
  EXPECT_EQ(Eval("x = 1"), "-ERR user_script:1: Attempt to modify a readonly table script: " +
                               Sha1Hex("x = 1") + ", on @user_script:1.\r\n");
  EXPECT_EQ(Eval("return redis.call()").substr(0, 65),
            "-ERR Please specify at least one argument for this redis lib call");
  EXPECT_EQ(Eval("return redis.call('GET', {})").substr(0, 64),
            "-ERR Lua redis lib command arguments must be strings or integers");
  EXPECT_EQ(Eval("return +"), "-ERR Error compiling script (new function): user_script:1: "
                              "unexpected symbol near '+'\r\n");
}

TEST_F(LuaVmTest, NothingReachesFilesOrTheProcess) {
  for (const char* name : {"os", "io", "package", "require", "loadfile", "dofile", "debug"}) {
    const std::string body = std::string("return type(rawget(_G, '") + name + "'))";
    EXPECT_EQ(Eval(body), "$3\r\nnil\r\n") << name;
  }
}

TEST_F(LuaVmTest, FlushForgetsScripts) {
  Eval("return 1");
  EXPECT_TRUE(vm_.Has(Sha1Hex("return 1")));
  EXPECT_EQ(vm_.scripts(), 1u);
  vm_.Flush();
  EXPECT_FALSE(vm_.Has(Sha1Hex("return 1")));
  EXPECT_EQ(vm_.scripts(), 0u);
  EXPECT_GT(vm_.memory(), 0u);
}

TEST_F(LuaVmTest, ScriptsSentWithEvalAreABoundedCache) {
  const std::string kept = "return 'loaded'";
  ASSERT_TRUE(vm_.Load(Sha1Hex(kept), kept, LuaVm::Origin::kLoad).ok());
  const std::string used = "return 'used'";
  Eval(used);
  for (size_t i = 0; i < LuaVm::kMaxEvalScripts + 10; ++i) {
    Eval("return " + std::to_string(i));
    if (i % 100 == 0) Eval(used);  // recently used: not among the first to go
  }
  EXPECT_EQ(vm_.scripts(), LuaVm::kMaxEvalScripts + 1);  // the bound, and the loaded one
  EXPECT_TRUE(vm_.Has(Sha1Hex(kept)));
  EXPECT_TRUE(vm_.Has(Sha1Hex(used)));
  EXPECT_FALSE(vm_.Has(Sha1Hex("return 0")));
  EXPECT_TRUE(vm_.Has(Sha1Hex("return " + std::to_string(LuaVm::kMaxEvalScripts + 9))));
  // An evicted script can be sent again.
  EXPECT_EQ(Eval("return 0"), ":0\r\n");
}

TEST_F(LuaVmTest, DeepTablesAnswerAnErrorNotACrash) {
  const std::string reply =
      Eval("local t = {} local c = t for i = 1, 100000 do c[1] = {} c = c[1] end return t");
  EXPECT_NE(reply.find("reached lua stack limit"), std::string::npos) << reply.substr(0, 80);
}

}  // namespace
}  // namespace strata::scripting
