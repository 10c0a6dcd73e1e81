from . import activcrea_slot_wizard
from . import activcrea_planning
