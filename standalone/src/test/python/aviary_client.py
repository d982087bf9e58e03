"""What the slixmpp test scripts share: trusting the test server's self-signed certificate (as a newcomer's server
has), and a run that ends when the client disconnects or after a bound."""
import asyncio
import ssl


def trust_any_certificate(client):
    client.ssl_context.check_hostname = False
    client.ssl_context.verify_mode = ssl.CERT_NONE


def run(client, host, port, seconds):
    """Connects to host:port and runs until the client disconnects or `seconds` have passed."""
    client.connect((host, int(port)))
    loop = asyncio.get_event_loop()
    try:
        loop.run_until_complete(asyncio.wait_for(client.disconnected, seconds))
    except asyncio.TimeoutError:
        pass
