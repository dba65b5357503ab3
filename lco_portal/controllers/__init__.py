from . import evaluation, portal
