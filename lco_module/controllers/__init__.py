from . import client_data, evaluation
