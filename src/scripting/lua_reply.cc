#include "scripting/lua_reply.h"

#include <lua5.1/lua.hpp>

#include <cstdlib>

namespace strata::scripting {
namespace {

using protocol::ReplyValue;

void SetStringField(lua_State* lua, const char* field, std::string_view s) {
  lua_pushlstring(lua, s.data(), s.size());
  lua_setfield(lua, -2, field);
}

// Wraps the value on top of the stack as {field = value}.
void WrapTop(lua_State* lua, const char* field) {
  lua_newtable(lua);
  lua_insert(lua, -2);
  lua_setfield(lua, -2, field);
}

// A string field of the table at `index`, without metamethods.
bool RawStringField(lua_State* lua, int index, const char* field, std::string* out) {
  lua_pushstring(lua, field);
  lua_rawget(lua, index);
  const bool is_string = lua_type(lua, -1) == LUA_TSTRING;
  if (is_string) {
    size_t len = 0;
    const char* s = lua_tolstring(lua, -1, &len);
    out->assign(s, len);
  }
  lua_pop(lua, 1);
  return is_string;
}

// The elements of the array table at `index`: 1, 2, ... up to the first nil.
size_t ArrayLength(lua_State* lua, int index) {
  size_t n = 0;
  while (true) {
    lua_rawgeti(lua, index, static_cast<int>(n + 1));
    const bool end = lua_isnil(lua, -1);
    lua_pop(lua, 1);
    if (end) return n;
    ++n;
  }
}

void WriteTable(lua_State* lua, int index, int resp, protocol::ReplyBuilder& reply) {
  std::string text;
  if (RawStringField(lua, index, "err", &text)) {
    reply.Error(text);
    return;
  }
  if (RawStringField(lua, index, "ok", &text)) {
    reply.SimpleString(text);
    return;
  }
  lua_pushstring(lua, "double");
  lua_rawget(lua, index);
  if (lua_type(lua, -1) == LUA_TNUMBER) {
    reply.Double(lua_tonumber(lua, -1));
    lua_pop(lua, 1);
    return;
  }
  lua_pop(lua, 1);
  if (RawStringField(lua, index, "big_number", &text)) {
    if (reply.protocol() >= 3) {
      reply.Raw("(" + text + "\r\n");
    } else {
      reply.Bulk(text);
    }
    return;
  }
  for (const char* kind : {"map", "set"}) {
    lua_pushstring(lua, kind);
    lua_rawget(lua, index);
    if (lua_type(lua, -1) != LUA_TTABLE) {
      lua_pop(lua, 1);
      continue;
    }
    const int table = lua_gettop(lua);
    size_t n = 0;
    lua_pushnil(lua);
    while (lua_next(lua, table) != 0) {
      ++n;
      lua_pop(lua, 1);
    }
    const bool map = kind[0] == 'm';
    if (map) {
      reply.MapHeader(n);
    } else {
      reply.SetHeader(n);
    }
    lua_pushnil(lua);
    while (lua_next(lua, table) != 0) {
      if (map) {
        WriteReply(lua, -2, resp, reply);
        WriteReply(lua, -1, resp, reply);
      } else {
        WriteReply(lua, -2, resp, reply);
      }
      lua_pop(lua, 1);
    }
    lua_pop(lua, 1);
    return;
  }
  const size_t n = ArrayLength(lua, index);
  reply.ArrayHeader(n);
  for (size_t i = 1; i <= n; ++i) {
    lua_rawgeti(lua, index, static_cast<int>(i));
    WriteReply(lua, -1, resp, reply);
    lua_pop(lua, 1);
  }
}

}  // namespace

void PushErrorTable(lua_State* lua, std::string_view line) {
  std::string code = "ERR";
  std::string_view message = line;
  if (line.starts_with('-')) {
    const size_t space = line.find(' ');
    if (space == std::string_view::npos) {
      message = line.substr(1);
    } else {
      code.assign(line.substr(1, space - 1));
      message = line.substr(space + 1);
    }
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) {
    message.remove_suffix(1);
  }
  lua_newtable(lua);
  SetStringField(lua, "err", code + " " + std::string(message));
}

void PushReply(lua_State* lua, const ReplyValue& value, int resp) {
  // Deep replies nest as deep in Lua; each level needs a few stack slots.
  if (!lua_checkstack(lua, 8)) luaL_error(lua, "reached lua stack limit");
  switch (value.type) {
    case ReplyValue::Type::kInteger:
      lua_pushnumber(lua, static_cast<lua_Number>(value.integer));
      return;
    case ReplyValue::Type::kBulk:
      lua_pushlstring(lua, value.str.data(), value.str.size());
      return;
    case ReplyValue::Type::kSimple:
      lua_newtable(lua);
      SetStringField(lua, "ok", value.str);
      return;
    case ReplyValue::Type::kError:
      PushErrorTable(lua, "-" + value.str);
      return;
    case ReplyValue::Type::kNull:
      if (resp == 2) {
        lua_pushboolean(lua, 0);
      } else {
        lua_pushnil(lua);
      }
      return;
    case ReplyValue::Type::kBool:
      lua_pushboolean(lua, value.integer != 0);
      return;
    case ReplyValue::Type::kDouble:
      lua_pushnumber(lua, std::strtod(value.str.c_str(), nullptr));
      WrapTop(lua, "double");
      return;
    case ReplyValue::Type::kBigNumber:
      lua_pushlstring(lua, value.str.data(), value.str.size());
      WrapTop(lua, "big_number");
      return;
    case ReplyValue::Type::kVerbatim:
      lua_newtable(lua);
      SetStringField(lua, "format", "txt");
      SetStringField(lua, "string", value.str);
      WrapTop(lua, "verbatim_string");
      return;
    case ReplyValue::Type::kMap:
      lua_newtable(lua);
      for (size_t i = 0; i + 1 < value.elements.size(); i += 2) {
        PushReply(lua, value.elements[i], resp);
        PushReply(lua, value.elements[i + 1], resp);
        lua_settable(lua, -3);
      }
      WrapTop(lua, "map");
      return;
    case ReplyValue::Type::kSet:
      lua_newtable(lua);
      for (const ReplyValue& member : value.elements) {
        PushReply(lua, member, resp);
        lua_pushboolean(lua, 1);
        lua_settable(lua, -3);
      }
      WrapTop(lua, "set");
      return;
    case ReplyValue::Type::kArray:
    case ReplyValue::Type::kPush:
      if (value.is_null_aggregate) {
        lua_pushboolean(lua, 0);
        return;
      }
      lua_createtable(lua, static_cast<int>(value.elements.size()), 0);
      for (size_t i = 0; i < value.elements.size(); ++i) {
        PushReply(lua, value.elements[i], resp);
        lua_rawseti(lua, -2, static_cast<int>(i + 1));
      }
      return;
  }
  lua_pushnil(lua);
}

void WriteReply(lua_State* lua, int index, int resp, protocol::ReplyBuilder& reply) {
  if (!lua_checkstack(lua, 4)) {
    reply.Error("ERR reached lua stack limit");
    return;
  }
  if (index < 0) index = lua_gettop(lua) + index + 1;
  switch (lua_type(lua, index)) {
    case LUA_TSTRING: {
      size_t len = 0;
      const char* s = lua_tolstring(lua, index, &len);
      reply.Bulk(std::string_view(s, len));
      return;
    }
    case LUA_TBOOLEAN:
      if (resp == 2) {
        if (lua_toboolean(lua, index)) {
          reply.Integer(1);
        } else {
          reply.Null();
        }
      } else {
        reply.Bool(lua_toboolean(lua, index) != 0);
      }
      return;
    case LUA_TNUMBER:
      reply.Integer(static_cast<int64_t>(lua_tonumber(lua, index)));
      return;
    case LUA_TTABLE:
      WriteTable(lua, index, resp, reply);
      return;
    default:
      reply.Null();
      return;
  }
}

void WriteError(lua_State* lua, int index, std::string_view name, protocol::ReplyBuilder& reply) {
  if (index < 0) index = lua_gettop(lua) + index + 1;
  if (!lua_istable(lua, index)) {
    const char* text = lua_tostring(lua, index);
    std::string message = "ERR Error running script ";
    message.append(name);
    message.append(", ");
    message.append(std::string_view(text == nullptr ? "execution failure" : text).substr(0, 100));
    reply.Error(message);
    return;
  }
  std::string message, source;
  if (!RawStringField(lua, index, "err", &message)) message = "ERR unknown error";
  RawStringField(lua, index, "source", &source);
  lua_pushstring(lua, "line");
  lua_rawget(lua, index);
  const bool has_line = lua_type(lua, -1) == LUA_TNUMBER;
  const auto line = static_cast<int64_t>(lua_tonumber(lua, -1));
  lua_pop(lua, 1);
  if (has_line && !source.empty()) {
    message += " script: ";
    message.append(name);
    message += ", on " + source + ":" + std::to_string(line) + ".";
  }
  reply.Error(message);
}

}  // namespace strata::scripting
