"""Messages the rules hand back to the models.

A rule never formats a sentence for the user itself: it returns a
:class:`Message` whose ``template`` is an English source string with
``%(name)s`` placeholders.  The model translates the template with Odoo's
translation machinery (the strings are marked with :func:`_` below so that
Odoo's extractor puts them in the addon's ``.pot``) and then interpolates.
"""

from dataclasses import dataclass, field


def _(template):
    """Mark ``template`` for translation; the model translates it later."""
    return template


@dataclass(frozen=True)
class Message:
    template: str
    params: dict = field(default_factory=dict)

    def render(self, translate=None):
        """The message in the user's language; ``translate`` is Odoo's ``env._``."""
        text = translate(self.template) if translate else self.template
        if not self.params:
            return text
        params = {
            key: value.render(translate) if isinstance(value, Message) else value
            for key, value in self.params.items()
        }
        return text % params

    def __str__(self):
        return self.render()


def render_all(messages, translate=None):
    """The messages in the user's language, one per line."""
    return "\n".join(message.render(translate) for message in messages)
