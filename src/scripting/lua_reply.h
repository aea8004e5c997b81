// Between Lua values and replies, both ways, as Redis 7.0 converts them.
//
// A command's reply becomes a Lua value for redis.call: integers are numbers, bulk strings
// strings, a status {ok=...}, an error {err=...}, arrays tables; a null is false under RESP2 and
// nil under RESP3, where maps, sets, doubles and big numbers come as {map=}, {set=}, {double=},
// {big_number=} and booleans as booleans.
//
// What a script returns becomes its reply: strings bulk strings, numbers integers (truncated),
// tables arrays up to the first nil, {ok=} a status, {err=} an error, true 1 and false a null
// (under redis.setresp(3): booleans), and the RESP3 tables their types.
#pragma once

#include <string>
#include <string_view>

#include "protocol/reply_builder.h"
#include "protocol/reply_reader.h"

struct lua_State;

namespace strata::scripting {

// Pushes {err="CODE message"} from an error line: "-CODE message" keeps its code, a line
// without the leading '-' gets "ERR". A trailing newline is dropped.
void PushErrorTable(lua_State* lua, std::string_view line);

// Pushes `value` (a reply read under protocol `resp`) as a Lua value.
void PushReply(lua_State* lua, const protocol::ReplyValue& value, int resp);

// Writes the Lua value at `index` as a reply. `resp` is the script's (redis.setresp), which
// decides how booleans go; the builder's protocol is the client's.
void WriteReply(lua_State* lua, int index, int resp, protocol::ReplyBuilder& reply);

// Writes the error a run ended with (the error handler's table, or a bare message), naming the
// script `name` and where it failed, as Redis does.
void WriteError(lua_State* lua, int index, std::string_view name, protocol::ReplyBuilder& reply);

}  // namespace strata::scripting
