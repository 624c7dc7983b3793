"""``makemessages`` that also extracts ``L(...)``: modules that declare many lazy labels import
``gettext_lazy as L`` (indicators, performance figures, checks), which xgettext would otherwise
pass over, leaving those labels untranslated."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=L"]
