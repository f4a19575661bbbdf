console.error("chat-server is not implemented yet"); process.exit(1);
