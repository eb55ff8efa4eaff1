"""/api/token/: a username and password for the user's API token (one per user; the same token
until it is deleted in the admin). The credentials go through the project's authentication
backends, so failed attempts count against django-axes' lockout as on the login page."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled
from rest_framework.response import Response

from .base import DescribedSerializer
from .parsers import JSONParser


class TokenRequestSerializer(AuthTokenSerializer):
    username = serializers.CharField(label=_("用户名"), help_text=_("登录用户名"), write_only=True)
    password = serializers.CharField(
        label=_("密码"),
        help_text=_("登录密码"),
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
    )


class TokenSerializer(DescribedSerializer):
    token = serializers.CharField(
        label=_("令牌"), help_text=_("请求时放在请求头:Authorization: Token <令牌>")
    )


class ObtainToken(ObtainAuthToken):
    parser_classes = [JSONParser]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        summary=str(_("用用户名和密码换取令牌")),
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            429: OpenApiResponse(description=str(_("登录失败次数过多,暂时锁定。"))),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # django-axes marks the request when the username is locked out (AXES_* settings).
            if getattr(request, "axes_locked_out", False):
                raise Throttled(detail=_("登录失败次数过多,已暂时锁定,请稍后再试。"))
            raise serializers.ValidationError(serializer.errors)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
