"""Tools for the people who run the bot: replay a chat history, the demo, doc generation.

These modules sit above the plugins: they may import the core and the policy
plugins (as plain libraries, never through NoneBot), while the plugins never
import them.
"""
