// One client connection: input buffer, request parser, session, output buffer.
//
// A connection has at most one batch in flight: it reads, executes every complete command
// in what it read, seals their writes into the open commit batch, holds the replies until
// that batch (and everything else it could have observed) is written — and synced, under
// appendfsync always — then sends all the replies in one write, and only then reads again.
// So replies leave in order, pipelined input costs one write per batch, and no client is
// ever shown data that a crash could take back.
#pragma once

#include <asio.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "commands/context.h"
#include "protocol/reply_builder.h"
#include "protocol/resp_parser.h"

namespace strata::net {

class Server;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server& server, asio::ip::tcp::socket socket);

  void Start();
  // Closes the socket; pending operations finish with an error and release the connection.
  void Close();
  // Called when a commit ticket was written. Returns false if this connection still waits
  // for a later ticket (it stays registered).
  bool OnWritten();

  uint64_t id() const { return session_->id; }
  const commands::Session& session() const { return *session_; }
  std::string InfoLine() const;
  const std::string& addr() const { return addr_; }
  const std::string& laddr() const { return laddr_; }
  int64_t last_interaction_ms() const { return last_interaction_ms_; }
  size_t BufferBytes() const { return in_.capacity() + out_.capacity(); }
  bool closed() const { return closed_; }
  void CloseAfterReply() { session_->close_after_reply = true; }

 private:
  void Read();
  void OnRead(const asio::error_code& ec, size_t n);
  void ProcessInput();
  void FinishBatch();
  void Write();

  Server& server_;
  asio::ip::tcp::socket socket_;
  std::unique_ptr<commands::Session> session_;
  protocol::RequestParser parser_;
  std::vector<char> in_;
  size_t in_start_ = 0;  // first unconsumed byte
  size_t in_end_ = 0;    // one past the last byte read
  std::string out_;
  std::vector<std::string_view> args_;
  uint64_t wait_ticket_ = 0;  // replies are held until this commit ticket is written
  bool waiting_commit_ = false;
  bool closed_ = false;
  bool close_after_write_ = false;
  std::string addr_;
  std::string laddr_;
  int64_t last_interaction_ms_ = 0;
};

}  // namespace strata::net
